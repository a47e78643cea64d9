// WMA with two running sums (TA-Lib's scheme): adding the newest value with
// weight `period` and subtracting the plain window sum shifts every weight
// down by one, so each bar costs O(1).
#include "vyx/indicators/wma.hpp"

#include "batch_util.hpp"

namespace vyx::ta {

int wma_lookback(int period) noexcept { return period - 1; }

status wma(const columns& in, int period, double* out) noexcept {
  if (in.close == nullptr || out == nullptr) return status::invalid_input;
  if (wma_stream::validate(period) != status::ok) return detail::fill_no_value(out, 0, in.size), status::invalid_option;
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
  double trailing = 0.0;
  for (std::size_t i = p - 1; i < in.size; ++i) {
    plain += x[i];
    plain -= trailing;
    weighted += x[i] * top;
    trailing = x[i + 1 - p];
    out[i] = weighted / divider;
    weighted -= plain;
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
  if (count_ + 1 < period_) {
    plain_sum_ += x;
    weighted_sum_ += x * static_cast<double>(count_ + 1);
    *out = no_value;
  } else {
    const double trailing = count_ >= period_ ? ring_[pos_] : 0.0;
    plain_sum_ += x;
    plain_sum_ -= trailing;
    weighted_sum_ += x * static_cast<double>(period_);
    *out = weighted_sum_ / divider_;
    weighted_sum_ -= plain_sum_;
  }
  ring_[pos_] = x;
  if (++pos_ == period_) pos_ = 0;
  ++count_;
}

void wma_stream::preview(const bar& b, double* out) const noexcept {
  if (count_ + 1 < period_) {
    *out = no_value;
    return;
  }
  *out = (weighted_sum_ + b.close * static_cast<double>(period_)) / divider_;
}

}  // namespace vyx::ta
