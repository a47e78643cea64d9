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
  // Two bars' signed volumes at a time; the running sum itself is sequential
  // (TA-Lib's order), one add per bar on the loop-carried chain.
  std::size_t t = 1;
  for (; t + 1 < in.size; t += 2) {
    const detail::double_pair d =
        detail::signed_volume(detail::load_pair(close + t), detail::load_pair(close + t - 1),
                              detail::load_pair(volume + t));
    out[t] = value += d[0];
    out[t + 1] = value += d[1];
  }
  if (t < in.size)
    out[t] = value + detail::signed_volume(detail::double_pair{close[t], 0},
                                           detail::double_pair{close[t - 1], 0},
                                           detail::double_pair{volume[t], 0})[0];
  return status::ok;
}

}  // namespace vyx::ta
