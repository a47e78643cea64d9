// Sliding-window maximum or minimum in O(1) amortised per bar: a monotonic
// deque kept in a ring that is allocated once, to the window length.
#pragma once

#include <cstdint>
#include <memory>

namespace vyx::ta::detail {

// keep_max: the window's maximum, else its minimum. On ties the newest bar
// wins (TA-Lib's AROON rule), so index() is the most recent extreme.
template <bool keep_max>
class monotonic_window {
 public:
  struct entry {
    double value;
    std::int64_t index;
  };

  explicit monotonic_window(int length)
      : length_(length), ring_(std::make_unique<entry[]>(static_cast<std::size_t>(length))) {}

  monotonic_window(const monotonic_window& other)
      : length_(other.length_), ring_(std::make_unique<entry[]>(static_cast<std::size_t>(other.length_))) {
    head_ = other.head_;
    size_ = other.size_;
    for (int i = 0; i < length_; ++i) ring_[i] = other.ring_[i];
  }
  monotonic_window(monotonic_window&&) noexcept = default;
  monotonic_window& operator=(monotonic_window&&) noexcept = default;

  int length() const noexcept { return length_; }
  void clear() noexcept { head_ = size_ = 0; }

  // Adds bar `index` (one more than the previous push) and drops the bar
  // that left the window. Entries the new value dominates are dropped from
  // the back, so the ring never holds more than `length` entries.
  void push(std::int64_t index, double value) noexcept {
    if (size_ != 0 && ring_[head_].index <= index - length_) {
      head_ = next(head_);
      --size_;
    }
    while (size_ != 0 && !beats(ring_[back()].value, value)) --size_;
    int slot = head_ + size_;
    if (slot >= length_) slot -= length_;
    ring_[slot] = entry{value, index};
    ++size_;
  }

  // The extreme of the window after the last push.
  const entry& front() const noexcept { return ring_[head_]; }

  // The extreme the window would have if `value` were pushed as bar `index`;
  // the window is unchanged. At most the front leaves per bar.
  entry peek_with(std::int64_t index, double value) const noexcept {
    int pos = head_;
    int n = size_;
    if (n != 0 && ring_[pos].index <= index - length_) {
      pos = next(pos);
      --n;
    }
    if (n == 0 || !beats(ring_[pos].value, value)) return entry{value, index};
    return ring_[pos];
  }

 private:
  // True when `kept` stays ahead of a newer `incoming`; ties go to the newer.
  static bool beats(double kept, double incoming) noexcept {
    if constexpr (keep_max) return kept > incoming;
    else return kept < incoming;
  }
  int next(int i) const noexcept { return i + 1 == length_ ? 0 : i + 1; }
  int back() const noexcept {
    int i = head_ + size_ - 1;
    return i >= length_ ? i - length_ : i;
  }

  int length_;
  int head_ = 0;
  int size_ = 0;
  std::unique_ptr<entry[]> ring_;
};

using window_max = monotonic_window<true>;
using window_min = monotonic_window<false>;

}  // namespace vyx::ta::detail
