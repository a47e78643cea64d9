// NATR: ATR divided by the close, as (atr / close) * 100 (TA-Lib's rounding);
// 0 when the close is TA-Lib-zero.
#include "vyx/indicators/natr.hpp"

#include "atr_kernel.hpp"
#include "batch_util.hpp"
#include "vyx/indicators/detail/price_math.hpp"

namespace vyx::ta {
namespace {

inline double normalise(double atr, double close) noexcept {
  if (atr != atr) return atr;  // warm-up: keep no_value
  return detail::talib_is_zero(close) ? 0.0 : (atr / close) * 100.0;
}

}  // namespace

int natr_lookback(int period) noexcept {
  return atr_lookback(period);
}

status natr(const columns& in, int period, double* out) noexcept {
  if (in.size != 0 && (!in.high || !in.low || !in.close || !out)) return status::invalid_input;
  if (natr_stream::validate(period) != status::ok) {
    detail::fill_no_value(out, 0, in.size);
    return status::invalid_option;
  }
  if (status s = detail::warm_up(in.size, natr_lookback(period), out); s != status::ok) return s;
  const double* close = in.close;
  detail::for_each_atr(
      in, period, [out, close](std::size_t t, double atr) { out[t] = normalise(atr, close[t]); });
  return status::ok;
}

void natr_stream::update(const bar& b, double* out) noexcept {
  *out = normalise(atr_.push(b.high, b.low, b.close), b.close);
}

void natr_stream::preview(const bar& b, double* out) const noexcept {
  *out = normalise(atr_.peek(b.high, b.low, b.close), b.close);
}

}  // namespace vyx::ta
