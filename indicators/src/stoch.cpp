// STOCH batch: one pass doing, per bar, the operations of stoch_stream in
// the same order (extremes by TA-Lib's rescan scheme: exact values, so equal
// to the stream's extreme_window for finite prices), so both forms give the
// same bits.
#include "vyx/indicators/stoch.hpp"

#include <memory>
#include <new>

#include "batch_util.hpp"

namespace vyx::ta {

int stoch_lookback(int k, int slow_k, int d) noexcept {
  return (k - 1) + (slow_k - 1) + (d - 1);
}

status stoch(const columns& in, int k, int slow_k, int d, double* slowk, double* slowd) noexcept {
  if (in.high == nullptr || in.low == nullptr || in.close == nullptr || slowk == nullptr ||
      slowd == nullptr)
    return status::invalid_input;
  if (stoch_stream::validate(k, slow_k, d) != status::ok) {
    detail::fill_no_value(slowk, 0, in.size);
    detail::fill_no_value(slowd, 0, in.size);
    return status::invalid_option;
  }
  if (status s = detail::warm_up(in.size, stoch_lookback(k, slow_k, d), slowk, slowd);
      s != status::ok)
    return s;
  // One pass. Scratch, sized once, keeps fast %K and slow %K for the running
  // sums to trim; the sums add (newest − oldest) and divide in sma_stream's order, so the
  // result equals streaming bit for bit.
  const double* high = in.high;
  const double* low = in.low;
  const std::size_t n = in.size, window = static_cast<std::size_t>(k);
  const std::size_t ks = static_cast<std::size_t>(slow_k), ds = static_cast<std::size_t>(d);
  // std::nothrow_t{}, not std::nothrow: that object lives in libstdc++,
  // which a plugin built from this file may not import.
  std::unique_ptr<double[]> scratch(new (std::nothrow_t{}) double[2 * n]);
  if (!scratch) return status::invalid_input;
  double* fast = scratch.get();
  double* slow = fast + n;
  const std::size_t slow_first = window - 1 + ks - 1;  // first slow %K
  const std::size_t lookback = slow_first + ds - 1;
  std::size_t at_high = 0, at_low = 0;
  double hh = high[0], ll = low[0], k_sum = 0, d_sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t first = i + 1 >= window ? i + 1 - window : 0;
    if (at_high < first) {
      at_high = first, hh = high[first];
      for (std::size_t j = first + 1; j <= i; ++j)
        if (high[j] > hh) at_high = j, hh = high[j];
    } else if (high[i] >= hh) {
      at_high = i, hh = high[i];
    }
    if (at_low < first) {
      at_low = first, ll = low[first];
      for (std::size_t j = first + 1; j <= i; ++j)
        if (low[j] < ll) at_low = j, ll = low[j];
    } else if (low[i] <= ll) {
      at_low = i, ll = low[i];
    }
    if (i + 1 < window) continue;
    const double fk = fast[i] = stochastic_percent(in.close[i], hh, ll);
    k_sum += i > slow_first ? fk - fast[i - ks] : fk;
    if (i < slow_first) continue;
    const double sk = slow[i] = k_sum / slow_k;
    d_sum += i > lookback ? sk - slow[i - ds] : sk;
    if (i < lookback) continue;
    slowk[i] = sk;
    slowd[i] = d_sum / d;
  }
  return status::ok;
}

}  // namespace vyx::ta
