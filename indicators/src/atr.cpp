// ATR: a plain sum of the first `period` true ranges, then Wilder smoothing
// written as ((atr * (period-1)) + tr) / period, TA-Lib's exact rounding.
#include "vyx/indicators/atr.hpp"

#include "atr_kernel.hpp"
#include "batch_util.hpp"
#include "vyx/indicators/detail/price_math.hpp"

namespace vyx::ta {

int atr_lookback(int period) noexcept {
  return period;
}

status atr_stream::validate(int period) noexcept {
  return period >= 1 && period <= 100000 ? status::ok : status::invalid_option;
}

status atr(const columns& in, int period, double* out) noexcept {
  if (in.size != 0 && (!in.high || !in.low || !in.close || !out)) return status::invalid_input;
  if (atr_stream::validate(period) != status::ok) {
    detail::fill_no_value(out, 0, in.size);
    return status::invalid_option;
  }
  if (status s = detail::warm_up(in.size, atr_lookback(period), out); s != status::ok) return s;
  detail::for_each_atr(in, period, [out](std::size_t t, double value) { out[t] = value; });
  return status::ok;
}

atr_stream::atr_stream(int period) noexcept
    : period_(period), divisor_(period), keep_(period - 1) {}

void atr_stream::reset() noexcept {
  bars_ = 0;
  prev_close_ = 0;
  value_ = 0;
}

double atr_stream::push(double high, double low, double close) noexcept {
  const std::int64_t t = bars_++;
  const double prev_close = prev_close_;
  prev_close_ = close;
  if (t > period_) {
    value_ = (value_ * keep_ + detail::true_range(high, low, prev_close)) / divisor_;
    return value_;
  }
  if (t == 0) return no_value;
  value_ += detail::true_range(high, low, prev_close);
  if (t < period_) return no_value;
  value_ = value_ / divisor_;
  return value_;
}

double atr_stream::peek(double high, double low, double close) const noexcept {
  (void)close;
  const std::int64_t t = bars_;
  if (t > period_) return (value_ * keep_ + detail::true_range(high, low, prev_close_)) / divisor_;
  if (t < period_) return no_value;
  return (value_ + detail::true_range(high, low, prev_close_)) / divisor_;
}

}  // namespace vyx::ta
