// ROC batch: detail::rate_of_change (TA-Lib's rounding) over the series.
#include "vyx/indicators/roc.hpp"

#include "batch_util.hpp"

namespace vyx::ta {
int roc_lookback(int period) noexcept {
  return period;
}

status roc(const columns& in, int period, double* out) noexcept {
  if (in.size != 0 && (!in.close || !out)) return status::invalid_input;
  if (roc_stream::validate(period) != status::ok) {
    detail::fill_no_value(out, 0, in.size);
    return status::invalid_option;
  }
  if (status s = detail::warm_up(in.size, roc_lookback(period), out); s != status::ok) return s;
  const double* close = in.close;
  const std::size_t p = static_cast<std::size_t>(period);
  for (std::size_t t = p; t < in.size; ++t) out[t] = detail::rate_of_change(close[t], close[t - p]);
  return status::ok;
}

}  // namespace vyx::ta
