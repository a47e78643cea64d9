// OBV: a running sum of signed volume, seeded with the first bar's volume.
#include "vyx/indicators/obv.hpp"

#include "batch_util.hpp"

namespace vyx::ta {

int obv_lookback() noexcept {
  return 0;
}

status obv(const columns& in, double* out) noexcept {
  if (in.size != 0 && (!in.close || !in.volume || !out)) return status::invalid_input;
  if (status s = detail::warm_up(in.size, obv_lookback(), out); s != status::ok) return s;
  const double* close = in.close;
  const double* volume = in.volume;
  double value = volume[0];
  out[0] = value;
  for (std::size_t t = 1; t < in.size; ++t) {
    // A sign instead of branches (closes go up and down at random):
    // value + v * -1 rounds exactly like value - v, and value + 0 is value.
    const int sign =
        static_cast<int>(close[t] > close[t - 1]) - static_cast<int>(close[t] < close[t - 1]);
    value += volume[t] * sign;
    out[t] = value;
  }
  return status::ok;
}

}  // namespace vyx::ta
