// OBV: a running sum of signed volume, seeded with the first bar's volume.
#include "vyx/indicators/obv.hpp"

#include "batch_util.hpp"

namespace vyx::ta {

int obv_lookback() noexcept { return 0; }

status obv(const columns& in, double* out) noexcept {
  if (in.size != 0 && (!in.close || !in.volume || !out)) return status::invalid_input;
  if (status s = detail::warm_up(in.size, obv_lookback(), out); s != status::ok) return s;
  const double* close = in.close;
  const double* volume = in.volume;
  double value = volume[0];
  out[0] = value;
  for (std::size_t t = 1; t < in.size; ++t) {
    if (close[t] > close[t - 1]) value += volume[t];
    else if (close[t] < close[t - 1]) value -= volume[t];
    out[t] = value;
  }
  return status::ok;
}

}  // namespace vyx::ta
