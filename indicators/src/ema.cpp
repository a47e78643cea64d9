// EMA batch: the seed loop, then the recurrence in the same form as
// ema_core::next so that streaming gives the same bits.
#include "vyx/indicators/ema.hpp"

#include "batch_util.hpp"

namespace vyx::ta {

int ema_lookback(int period) noexcept {
  return period - 1;
}

status ema(const columns& in, int period, double* out) noexcept {
  if (in.close == nullptr || out == nullptr) return status::invalid_input;
  if (ema_stream::validate(period) != status::ok)
    return detail::fill_no_value(out, 0, in.size), status::invalid_option;
  if (status s = detail::warm_up(in.size, ema_lookback(period), out); s != status::ok) return s;

  const double* x = in.close;
  const std::size_t p = static_cast<std::size_t>(period);
  const double k = 2.0 / (period + 1);
  const double m = 1.0 - k;
  double sum = 0;
  for (std::size_t i = 0; i < p; ++i) sum += x[i];
  double e = sum / period;
  out[p - 1] = e;
  for (std::size_t i = p; i < in.size; ++i) out[i] = e = x[i] * k + e * m;
  return status::ok;
}

}  // namespace vyx::ta
