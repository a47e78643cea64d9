// Sliding-window building blocks shared by several indicators' streaming
// states: the extreme (max or min) of the last N values in O(1) amortised,
// and the sum of the last N values without subtracting (no drift, exact zero
// over an all-zero window).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "vyx/indicators/core.hpp"

namespace vyx::ta {

// Max (Max = true) or min of the last `period` pushed values in O(1)
// amortised: a monotonic deque of (value, index) entries in a ring of
// `period` slots, allocated once. Entries the new value dominates leave from
// the back, so the ring never holds more than `period` entries. On ties the
// newest value is kept (TA-Lib's AROON rule), so extreme_index() is the most
// recent extreme. Copies are deep (a stream's state can be copied).
template <bool Max>
class extreme_window {
 public:
  explicit extreme_window(int period)
      : period_(period), ring_(std::make_unique<entry[]>(static_cast<std::size_t>(period))) {}

  extreme_window(const extreme_window& other)
      : period_(other.period_),
        head_(other.head_),
        size_(other.size_),
        next_(other.next_),
        ring_(std::make_unique<entry[]>(static_cast<std::size_t>(other.period_))) {
    for (int i = 0; i < period_; ++i) ring_[i] = other.ring_[i];
  }
  extreme_window& operator=(const extreme_window& other) {
    if (this != &other) *this = extreme_window(other);
    return *this;
  }
  extreme_window(extreme_window&&) noexcept = default;
  extreme_window& operator=(extreme_window&&) noexcept = default;

  // Adds the next value; returns the extreme of the last `period` values.
  double push(double v) noexcept {
    if (size_ > 0 && ring_[head_].index <= next_ - period_) head_ = wrap(head_ + 1), --size_;
    while (size_ > 0 && !beats(ring_[back()].value, v)) --size_;
    ring_[wrap(head_ + size_)] = entry{v, next_};
    ++size_;
    ++next_;
    return ring_[head_].value;
  }

  // What push(v) would return, and the index of that extreme; state unchanged.
  double peek(double v) const noexcept { return peek_entry(v).value; }
  std::int64_t peek_index(double v) const noexcept { return peek_entry(v).index; }

  // Index (0-based count of pushes) of the extreme after the last push.
  std::int64_t extreme_index() const noexcept { return ring_[head_].index; }
  std::int64_t pushed() const noexcept { return next_; }
  int period() const noexcept { return period_; }

  void reset() noexcept { head_ = size_ = 0, next_ = 0; }

 private:
  struct entry {
    double value;
    std::int64_t index;
  };

  // At most the front leaves per push, so the extreme after push(v) is the
  // (surviving) front or v itself.
  entry peek_entry(double v) const noexcept {
    int first = head_;
    int left = size_;
    if (left > 0 && ring_[first].index <= next_ - period_) first = wrap(first + 1), --left;
    if (left == 0 || !beats(ring_[first].value, v)) return entry{v, next_};
    return ring_[first];
  }

  // True when `kept` stays ahead of a newer `incoming`; ties go to the newer.
  static bool beats(double kept, double incoming) noexcept {
    if constexpr (Max)
      return kept > incoming;
    else
      return kept < incoming;
  }
  int wrap(int i) const noexcept { return i >= period_ ? i - period_ : i; }
  int back() const noexcept { return wrap(head_ + size_ - 1); }

  int period_;
  int head_ = 0;
  int size_ = 0;
  std::int64_t next_ = 0;
  std::unique_ptr<entry[]> ring_;
};

// Sum of the last `period` values, as (suffix of the previous block of
// `period` values) + (prefix of the current block). Only additions, so an
// all-zero window sums to exactly 0 and no rounding accumulates over time;
// the suffix sums are rebuilt once per block (O(1) amortised).
class window_sum {
 public:
  explicit window_sum(int period)
      : period_(period), block_(new double[period]()), suffix_(new double[period + 1]()) {}

  // Adds the next value; returns the sum of the last min(period, pushed) values.
  double push(double v) noexcept {
    block_[pos_] = v;
    prefix_ += v;
    ++pos_;
    const double total = suffix_[pos_] + prefix_;
    if (pos_ == period_) close_block();
    return total;
  }

  double peek(double v) const noexcept { return suffix_[pos_ + 1] + (prefix_ + v); }

  void reset() noexcept {
    pos_ = 0;
    prefix_ = 0;
    for (int i = 0; i <= period_; ++i) suffix_[i] = 0;
  }

 private:
  void close_block() noexcept {
    // suffix_[j] = block_[j] + ... + block_[period-1]; suffix_[period] = 0.
    double s = 0;
    suffix_[period_] = 0;
    for (int j = period_ - 1; j >= 0; --j) suffix_[j] = (s += block_[j]);
    pos_ = 0;
    prefix_ = 0;
  }

  int period_;
  int pos_ = 0;
  double prefix_ = 0;
  std::unique_ptr<double[]> block_;
  std::unique_ptr<double[]> suffix_;
};

}  // namespace vyx::ta
