// STOCH batch: runs the streaming state over the series (one definition of
// the window and smoothing order for both forms).
#include "vyx/indicators/stoch.hpp"

#include "batch_util.hpp"

namespace vyx::ta {

int stoch_lookback(int k, int slow_k, int d) noexcept { return (k - 1) + (slow_k - 1) + (d - 1); }

status stoch(const columns& in, int k, int slow_k, int d, double* slowk, double* slowd) noexcept {
  if (in.high == nullptr || in.low == nullptr || in.close == nullptr || slowk == nullptr || slowd == nullptr)
    return status::invalid_input;
  if (stoch_stream::validate(k, slow_k, d) != status::ok) {
    detail::fill_no_value(slowk, 0, in.size);
    detail::fill_no_value(slowd, 0, in.size);
    return status::invalid_option;
  }
  if (status s = detail::warm_up(in.size, stoch_lookback(k, slow_k, d), slowk, slowd); s != status::ok) return s;
  stoch_stream state(k, slow_k, d);
  double out[2];
  for (std::size_t i = 0; i < in.size; ++i) {
    bar b;
    b.high = in.high[i], b.low = in.low[i], b.close = in.close[i];
    state.update(b, out);
    slowk[i] = out[0], slowd[i] = out[1];
  }
  return status::ok;
}

}  // namespace vyx::ta
