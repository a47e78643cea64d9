// WILLR over O(1)-amortised window extremes, rounded as TA-Lib does:
// (HH - close) / ((HH - LL) / -100).
#include "vyx/indicators/willr.hpp"

#include "batch_util.hpp"

namespace vyx::ta {
namespace {

inline double williams(double highest, double lowest, double close) noexcept {
  const double scale = (highest - lowest) / -100.0;
  return scale != 0.0 ? (highest - close) / scale : 0.0;
}

}  // namespace

int willr_lookback(int period) noexcept { return period - 1; }

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
  detail::window_max highest(period);
  detail::window_min lowest(period);
  const std::int64_t n = static_cast<std::int64_t>(in.size);
  for (std::int64_t t = 0; t < lookback; ++t) {
    highest.push(t, in.high[t]);
    lowest.push(t, in.low[t]);
  }
  for (std::int64_t t = lookback; t < n; ++t) {
    highest.push(t, in.high[t]);
    lowest.push(t, in.low[t]);
    out[t] = williams(highest.front().value, lowest.front().value, in.close[t]);
  }
  return status::ok;
}

void willr_stream::reset() noexcept {
  bars_ = 0;
  highest_.clear();
  lowest_.clear();
}

void willr_stream::update(const bar& b, double* out) noexcept {
  const std::int64_t t = bars_++;
  highest_.push(t, b.high);
  lowest_.push(t, b.low);
  *out = t >= lookback() ? williams(highest_.front().value, lowest_.front().value, b.close) : no_value;
}

void willr_stream::preview(const bar& b, double* out) const noexcept {
  const std::int64_t t = bars_;
  *out = t >= lookback() ? williams(highest_.peek_with(t, b.high).value, lowest_.peek_with(t, b.low).value, b.close)
                         : no_value;
}

}  // namespace vyx::ta
