// Sliding-window building blocks shared by several indicators' streaming
// states: the extreme (max or min) of the last N values in O(1) amortised,
// and the sum of the last N values without subtracting (no drift, exact zero
// over an all-zero window).
#pragma once

#include <memory>

#include "vyx/indicators/core.hpp"

namespace vyx::ta {

// Max (Max = true) or min of the last `period` pushed values: a monotonic
// deque of (index, value) in a fixed ring of `period` slots. On ties the
// newest value is kept, so newest_index() is the most recent extreme.
template <bool Max>
class extreme_window {
 public:
  explicit extreme_window(int period)
      : period_(period), index_(new long[period]()), value_(new double[period]()) {}

  // Adds the next value; returns the extreme of the last `period` values.
  double push(double v) noexcept {
    if (size_ > 0 && index_[head_] <= next_ - period_) pop_front();
    while (size_ > 0 && !beats(value_[back()], v)) --size_;
    const int slot = wrap(head_ + size_);
    index_[slot] = next_;
    value_[slot] = v;
    ++size_;
    ++next_;
    return value_[head_];
  }

  // The extreme push(v) would return, state unchanged.
  double peek(double v) const noexcept {
    int first = head_;
    int left = size_;
    if (left > 0 && index_[first] <= next_ - period_) first = wrap(first + 1), --left;
    if (left == 0) return v;
    const double e = value_[first];
    return beats(e, v) ? e : v;
  }

  // Index (0-based count of pushes) of the extreme after the last push.
  long extreme_index() const noexcept { return index_[head_]; }
  long pushed() const noexcept { return next_; }

  void reset() noexcept { head_ = size_ = 0, next_ = 0; }

 private:
  static bool beats(double kept, double incoming) noexcept {
    return Max ? kept > incoming : kept < incoming;
  }
  int wrap(int i) const noexcept { return i >= period_ ? i - period_ : i; }
  int back() const noexcept { return wrap(head_ + size_ - 1); }
  void pop_front() noexcept { head_ = wrap(head_ + 1), --size_; }

  int period_;
  int head_ = 0;
  int size_ = 0;
  long next_ = 0;
  std::unique_ptr<long[]> index_;
  std::unique_ptr<double[]> value_;
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
