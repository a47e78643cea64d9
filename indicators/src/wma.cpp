// WMA with two running sums (TA-Lib's scheme): adding the newest value with
// weight `period` and subtracting the previous plain window sum shifts every
// weight down by one, so each bar costs O(1).
#include "vyx/indicators/wma.hpp"

#include "batch_util.hpp"

namespace vyx::ta {

int wma_lookback(int period) noexcept {
  return period - 1;
}

status wma(const columns& in, int period, double* out) noexcept {
  if (in.close == nullptr || out == nullptr) return status::invalid_input;
  if (wma_stream::validate(period) != status::ok)
    return detail::fill_no_value(out, 0, in.size), status::invalid_option;
  if (status s = detail::warm_up(in.size, wma_lookback(period), out); s != status::ok) return s;

  const double* x = in.close;
  const std::size_t p = static_cast<std::size_t>(period);
  const double divider = 0.5 * static_cast<double>(period) * static_cast<double>(period + 1);
  const double top = period;
  double plain = 0, weighted = 0;
  for (std::size_t i = 0; i + 1 < p; ++i) {
    plain += x[i];
    weighted += x[i] * static_cast<double>(i + 1);
  }
  plain += x[p - 1];
  weighted += x[p - 1] * top;
  out[p - 1] = weighted / divider;
  // Each chain (plain, weighted) takes one add per bar; the terms added are
  // formed off the chains.
  for (std::size_t i = p; i < in.size; ++i) {
    weighted += x[i] * top - plain;
    plain += x[i] - x[i - p];
    out[i] = weighted / divider;
  }
  return status::ok;
}

wma_stream::wma_stream(int period)
    : period_(period),
      divider_(0.5 * static_cast<double>(period) * static_cast<double>(period + 1)),
      ring_(new double[period]()) {}

void wma_stream::reset() noexcept {
  pos_ = 0, count_ = 0, plain_sum_ = 0, weighted_sum_ = 0;
}

void wma_stream::update(const bar& b, double* out) noexcept {
  const double x = b.close;
  if (count_ >= period_) {
    weighted_sum_ += x * static_cast<double>(period_) - plain_sum_;
    plain_sum_ += x - ring_[pos_];
    *out = weighted_sum_ / divider_;
  } else {
    warm_up(x, out);
  }
  ring_[pos_] = x;
  if (++pos_ == period_) pos_ = 0;
  ++count_;
}

// Out of line: inlined, GCC loads both sums with one 16-byte load (for the
// warm-up's paired adds), which the steady path's two 8-byte stores of the
// previous bar cannot forward to: +4 ns per update.
void wma_stream::warm_up(double x, double* out) noexcept {
  const double weight =
      count_ + 1 < period_ ? static_cast<double>(count_ + 1) : static_cast<double>(period_);
  plain_sum_ += x;
  weighted_sum_ += x * weight;
  *out = count_ + 1 < period_ ? no_value : weighted_sum_ / divider_;
}

void wma_stream::preview(const bar& b, double* out) const noexcept {
  const double x = b.close;
  if (count_ + 1 < period_) {
    *out = no_value;
  } else if (count_ + 1 == period_) {
    *out = (weighted_sum_ + x * static_cast<double>(period_)) / divider_;
  } else {
    *out = (weighted_sum_ + (x * static_cast<double>(period_) - plain_sum_)) / divider_;
  }
}

}  // namespace vyx::ta
