// WILLR over O(1) window extremes (blocks in batch, extreme_window when
// streaming), rounded as TA-Lib does: (HH - close) / ((HH - LL) / -100).
#include "vyx/indicators/willr.hpp"

#include "batch_util.hpp"
#include "block_extremes.hpp"

namespace vyx::ta {
namespace {

inline double williams(double highest, double lowest, double close) noexcept {
  const double scale = (highest - lowest) / -100.0;
  return scale != 0.0 ? (highest - close) / scale : 0.0;
}

}  // namespace

int willr_lookback(int period) noexcept {
  return period - 1;
}

status willr_stream::validate(int period) noexcept {
  return period >= 2 && period <= 100000 ? status::ok : status::invalid_option;
}

status willr(const columns& in, int period, double* out) noexcept {
  if (in.size != 0 && (!in.high || !in.low || !in.close || !out)) return status::invalid_input;
  if (willr_stream::validate(period) != status::ok) {
    detail::fill_no_value(out, 0, in.size);
    return status::invalid_option;
  }
  const int lookback = willr_lookback(period);
  if (status s = detail::warm_up(in.size, lookback, out); s != status::ok) return s;
  // Highest highs first, written into `out`; then the lowest lows complete
  // each bar's value.
  const std::size_t length = static_cast<std::size_t>(period);
  detail::extreme_scratch scratch(length);
  detail::for_each_window_extreme_value<true>(
      in.high, in.size, length, scratch.values(),
      [out](std::size_t t, double highest) { out[t] = highest; });
  const double* close = in.close;
  detail::for_each_window_extreme_value<false>(
      in.low, in.size, length, scratch.values(),
      [out, close](std::size_t t, double lowest) { out[t] = williams(out[t], lowest, close[t]); });
  return status::ok;
}

void willr_stream::reset() noexcept {
  bars_ = 0;
  highest_.reset();
  lowest_.reset();
}

void willr_stream::update(const bar& b, double* out) noexcept {
  const std::int64_t t = bars_++;
  const double highest = highest_.push(b.high);
  const double lowest = lowest_.push(b.low);
  *out = t >= lookback() ? williams(highest, lowest, b.close) : no_value;
}

void willr_stream::preview(const bar& b, double* out) const noexcept {
  const std::int64_t t = bars_;
  *out = t >= lookback() ? williams(highest_.peek(b.high), lowest_.peek(b.low), b.close) : no_value;
}

}  // namespace vyx::ta
