// STOCH batch: the highest high and lowest low by TA-Lib's scheme (remember
// where the extreme is, rescan only when it leaves the window: the values are
// exact, so they equal the streaming deque's), then the same smoothing
// objects, in the same order, as stoch_stream.
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
  const double* high = in.high;
  const double* low = in.low;
  const std::size_t window = static_cast<std::size_t>(k);
  sma_stream k_sma(slow_k), d_sma(d);
  std::size_t at_high = 0, at_low = 0;
  double hh = high[0], ll = low[0];
  for (std::size_t i = 0; i < in.size; ++i) {
    const std::size_t first = i + 1 >= window ? i + 1 - window : 0;
    if (at_high < first) {
      at_high = first, hh = high[first];
      for (std::size_t j = first + 1; j <= i; ++j)
        if (high[j] >= hh) at_high = j, hh = high[j];
    } else if (high[i] >= hh) {
      at_high = i, hh = high[i];
    }
    if (at_low < first) {
      at_low = first, ll = low[first];
      for (std::size_t j = first + 1; j <= i; ++j)
        if (low[j] <= ll) at_low = j, ll = low[j];
    } else if (low[i] <= ll) {
      at_low = i, ll = low[i];
    }
    if (i + 1 < window) continue;
    const double sk = k_sma.push(stochastic_percent(in.close[i], hh, ll));
    if (sk != sk) continue;
    const double sd = d_sma.push(sk);
    if (sd != sd) continue;
    slowk[i] = sk, slowd[i] = sd;
  }
  return status::ok;
}

}  // namespace vyx::ta
