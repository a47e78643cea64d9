// BBANDS with a numerically robust σ that stays O(1) per bar and needs no
// absolute threshold. The series is cut into blocks of `period` values; the
// window is (a suffix of the previous block) + (a prefix of the current one).
// Each part keeps sums of deviations from an anchor taken inside that part
// (the current block's first value; the previous block's last value), built by
// additions only, so rounding never accumulates beyond one block and there is
// no subtraction of removed values. The parts' means and squared deviations
// are then merged (Chan et al.'s pairwise formula). A window of equal values
// gives σ = 0 exactly, at any price scale. Batch runs the streaming state, so
// both forms give the same bits.
#include "vyx/indicators/bbands.hpp"

#include <cmath>

#include "batch_util.hpp"

namespace vyx::ta {

int bbands_lookback(int period, double, double) noexcept {
  return period - 1;
}

status bbands_stream::validate(int period, double up, double down) noexcept {
  const bool finite = std::isfinite(up) && std::isfinite(down);
  return period >= 1 && finite ? status::ok : status::invalid_option;
}

bbands_stream::bbands_stream(int period, double up, double down)
    : period_(period),
      up_(up),
      down_(down),
      inverse_(new double[period + 1]),
      fraction_(new double[period + 1]),
      weight_(new double[period + 1]),
      block_(new double[period]()),
      suffix_sum_(new double[period + 1]()),
      suffix_squares_(new double[period + 1]()) {
  for (int n = 0; n <= period; ++n) {
    inverse_[n] = n == 0 ? 0.0 : 1.0 / n;
    fraction_[n] = static_cast<double>(n) / period;
    weight_[n] = static_cast<double>(period - n) * n / period;
  }
}

void bbands_stream::reset() noexcept {
  count_ = 0, in_block_ = 0, current_ = {0, 0, 0}, previous_anchor_ = 0;
  for (int j = 0; j <= period_; ++j) suffix_sum_[j] = suffix_squares_[j] = 0;
}

// Bands of the window made of the previous block's last period − n values
// and the n values of `current`.
void bbands_stream::emit(const block_sums& current, int n, double* out) const noexcept {
  const int m = period_ - n;
  const double s1a = suffix_sum_[n], s2a = suffix_squares_[n];
  const double mean_a = previous_anchor_ + s1a * inverse_[m];
  const double m2_a = s2a - s1a * (s1a * inverse_[m]);
  const double mean_b = current.anchor + current.sum * inverse_[n];
  const double m2_b = current.squares - current.sum * (current.sum * inverse_[n]);
  const double delta = mean_b - mean_a;
  double variance = (m2_a + m2_b + delta * delta * weight_[n]) * inverse_[period_];
  if (!(variance > 0)) variance = 0;  // rounding only; σ² is never negative
  const double sigma = std::sqrt(variance);
  const double middle = mean_a + delta * fraction_[n];
  out[0] = middle + up_ * sigma;
  out[1] = middle;
  out[2] = middle - down_ * sigma;
}

void bbands_stream::update(const bar& b, double* out) noexcept {
  const double x = b.close;
  if (in_block_ == 0) current_ = {x, 0, 0};
  const double d = x - current_.anchor;
  current_.sum += d;
  current_.squares += d * d;
  block_[in_block_++] = x;
  if (++count_ < period_) {
    out[0] = out[1] = out[2] = no_value;
  } else {
    emit(current_, in_block_, out);
  }
  if (in_block_ == period_) {
    close_block(block_.get());
    in_block_ = 0;
  }
}

// The finished block's suffix sums, around its last value.
void bbands_stream::close_block(const double* values) noexcept {
  const double anchor = values[period_ - 1];
  previous_anchor_ = anchor;
  double s1 = 0, s2 = 0;
  suffix_sum_[period_] = suffix_squares_[period_] = 0;
  for (int j = period_ - 1; j >= 0; --j) {
    const double e = values[j] - anchor;
    suffix_sum_[j] = s1 += e;
    suffix_squares_[j] = s2 += e * e;
  }
}

void bbands_stream::preview(const bar& b, double* out) const noexcept {
  if (count_ + 1 < period_) {
    out[0] = out[1] = out[2] = no_value;
    return;
  }
  const double x = b.close;
  block_sums next = in_block_ == 0 ? block_sums{x, 0, 0} : current_;
  const double d = x - next.anchor;
  next.sum += d;
  next.squares += d * d;
  emit(next, in_block_ + 1, out);
}

status bbands(const columns& in, int period, double up, double down, double* upper, double* middle,
              double* lower) noexcept {
  if (in.close == nullptr || upper == nullptr || middle == nullptr || lower == nullptr)
    return status::invalid_input;
  if (bbands_stream::validate(period, up, down) != status::ok) {
    detail::fill_no_value(upper, 0, in.size);
    detail::fill_no_value(middle, 0, in.size);
    detail::fill_no_value(lower, 0, in.size);
    return status::invalid_option;
  }
  const int lookback = bbands_lookback(period, up, down);
  if (status s = detail::warm_up(in.size, lookback, upper, middle, lower); s != status::ok)
    return s;
  // Block by block, the operations of bbands_stream::update without its
  // per-bar bookkeeping (the block's values are read from the input).
  bbands_stream state(period, up, down);
  const double* x = in.close;
  const std::size_t n = in.size, p = static_cast<std::size_t>(period);
  for (std::size_t start = 0; start < n; start += p) {
    const std::size_t end = start + p < n ? start + p : n;
    bbands_stream::block_sums current{x[start], 0, 0};
    for (std::size_t i = start; i < end; ++i) {
      const double d = x[i] - current.anchor;
      current.sum += d;
      current.squares += d * d;
      if (i + 1 < p) continue;
      double out[3];
      state.emit(current, static_cast<int>(i - start + 1), out);
      upper[i] = out[0], middle[i] = out[1], lower[i] = out[2];
    }
    if (end - start == p) state.close_block(x + start);
  }
  return status::ok;
}

}  // namespace vyx::ta
