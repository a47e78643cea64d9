// STOCH batch: whole-series passes (rolling extremes, fast %K, two SMAs)
// that perform, per bar, the same operations in the same order as
// stoch_stream, so both forms give the same bits.
#include "vyx/indicators/stoch.hpp"

#include <memory>
#include <new>

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
  // Scratch, sized once: highest high, lowest low, fast %K, slow %K.
  const std::size_t n = in.size, window = static_cast<std::size_t>(k);
  std::unique_ptr<double[]> scratch(new (std::nothrow) double[4 * n]);
  if (!scratch) return status::invalid_input;
  double* hh = scratch.get();
  double* ll = hh + n;
  double* fast = ll + n;
  double* slow = fast + n;
  detail::rolling_extreme<true>(in.high, n, window, hh);
  detail::rolling_extreme<false>(in.low, n, window, ll);
  for (std::size_t i = window - 1; i < n; ++i) fast[i] = stochastic_percent(in.close[i], hh[i], ll[i]);
  // sma_of adds, divides and trims in sma_stream's order: same bits as streaming.
  sma_of(fast + (window - 1), n - (window - 1), slow_k, slow + (window - 1));
  const std::size_t slow_first = window - 1 + static_cast<std::size_t>(slow_k - 1);
  sma_of(slow + slow_first, n - slow_first, d, slowd + slow_first);
  const std::size_t lookback = static_cast<std::size_t>(stoch_lookback(k, slow_k, d));
  for (std::size_t i = lookback; i < n; ++i) slowk[i] = slow[i];
  return status::ok;
}

}  // namespace vyx::ta
