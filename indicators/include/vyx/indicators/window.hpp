// Sliding-window building blocks shared by several indicators' streaming
// states: the extreme (max or min) of the last N values in O(1) amortised,
// and the sum of the last N values without subtracting (no drift, exact zero
// over an all-zero window).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>

#include "vyx/indicators/core.hpp"

namespace vyx::ta {

// Max (Max = true) or min of the last `period` pushed values, O(1) per push
// (amortised), branch-free: van Herk/Gil-Werman blocks, as the batch forms
// (src/block_extremes.hpp). Pushes fall into blocks of `period`; the window
// is a suffix of the previous block plus a prefix of the current one, so its
// extreme is one comparison of the previous block's suffix extreme (rebuilt
// once per block) with the running prefix extreme. On ties the newest value
// is kept (TA-Lib's AROON rule), so extreme_index() is the most recent
// extreme; values, NaN cases included, equal the batch blocks'. A monotonic
// deque is O(1) amortised too, but its pops are data-dependent branches that
// mispredict on market data (HIGHEST stream: 13.7 ns per update with one,
// 6.6 with blocks; AROON 25 -> 9.8).
// Copies are deep (a stream's state can be copied).
template <bool Max>
class extreme_window {
 public:
  explicit extreme_window(int period)
      : period_(period), block_(allocate(period)), suffix_(allocate(period)) {
    reset();
  }

  extreme_window(const extreme_window& other)
      : period_(other.period_),
        pos_(other.pos_),
        next_(other.next_),
        prefix_(other.prefix_),
        current_(other.current_),
        block_(allocate(other.period_)),
        suffix_(allocate(other.period_)) {
    for (int i = 0; i < period_; ++i) block_[i] = other.block_[i], suffix_[i] = other.suffix_[i];
  }
  extreme_window& operator=(const extreme_window& other) {
    if (this != &other) *this = extreme_window(other);
    return *this;
  }
  extreme_window(extreme_window&&) noexcept = default;
  extreme_window& operator=(extreme_window&&) noexcept = default;

  // Adds the next value; returns the extreme of the last `period` values.
  double push(double v) noexcept {
    prefix_ = newer_or_kept(prefix_, entry{v, next_});
    current_ = window_extreme(pos_, prefix_);
    block_[pos_] = entry{v, next_};
    ++next_;
    if (++pos_ == period_) close_block();
    return current_.value;
  }

  // What push(v) would return, and the index of that extreme; state unchanged.
  double peek(double v) const noexcept { return peek_entry(v).value; }
  std::int64_t peek_index(double v) const noexcept { return peek_entry(v).index; }

  // Index (0-based count of pushes) of the extreme after the last push.
  std::int64_t extreme_index() const noexcept { return current_.index; }
  std::int64_t pushed() const noexcept { return next_; }
  int period() const noexcept { return period_; }

  void reset() noexcept {
    pos_ = 0;
    next_ = 0;
    prefix_ = current_ = empty();
    for (int i = 0; i < period_; ++i) suffix_[i] = empty();
  }

 private:
  struct entry {
    double value;
    std::int64_t index;
  };

  static std::unique_ptr<entry[]> allocate(int n) {
    return std::make_unique<entry[]>(static_cast<std::size_t>(n));
  }

  // Loses to every value (-inf for a max, +inf for a min): an empty prefix,
  // and the suffixes before the first block is complete.
  static entry empty() noexcept {
    return entry{
        Max ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity(),
        -1};
  }

  // True when `kept` stays ahead of a newer `incoming`; ties go to the newer.
  static bool beats(double kept, double incoming) noexcept {
    if constexpr (Max)
      return kept > incoming;
    else
      return kept < incoming;
  }

  // The older entry if it beats the newer one, else the newer. The index is
  // chosen by mask, the value by a compare-and-select (maxsd / minsd): as a
  // pair of selects GCC makes one branch of them, which mispredicts.
  static entry newer_or_kept(const entry& older, const entry& newer) noexcept {
    const bool kept = beats(older.value, newer.value);
    const std::int64_t index =
        newer.index + ((older.index - newer.index) & -static_cast<std::int64_t>(kept));
    return entry{kept ? older.value : newer.value, index};
  }

  // The window's extreme when the newest push sits at offset `pos` of its
  // block and the block's prefix extreme is `prefix`: the previous block
  // contributes offsets pos+1 .. period-1.
  entry window_extreme(int pos, const entry& prefix) const noexcept {
    return pos + 1 < period_ ? newer_or_kept(suffix_[pos + 1], prefix) : prefix;
  }

  entry peek_entry(double v) const noexcept {
    return window_extreme(pos_, newer_or_kept(prefix_, entry{v, next_}));
  }

  // The block is complete: its suffix extremes serve the next block.
  void close_block() noexcept {
    entry e = block_[period_ - 1];
    suffix_[period_ - 1] = e;
    for (int j = period_ - 1; j-- > 0;) suffix_[j] = e = newer_or_kept(block_[j], e);
    pos_ = 0;
    prefix_ = empty();
  }

  int period_;
  int pos_ = 0;  // offset of the next push in its block
  std::int64_t next_ = 0;
  entry prefix_;                     // extreme of the current block so far
  entry current_;                    // the window's extreme after the last push
  std::unique_ptr<entry[]> block_;   // the current block's values
  std::unique_ptr<entry[]> suffix_;  // previous block: extreme of offsets j..period-1
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
