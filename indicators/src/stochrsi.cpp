// STOCHRSI and the smoothed Stoch RSI, batch forms: whole-series passes (RSI,
// rolling extremes of it, fast %K, SMAs) doing per bar the operations of the
// streaming classes in the same order, so both forms give the same bits.
#include "vyx/indicators/stochrsi.hpp"

#include <memory>
#include <new>

#include "batch_util.hpp"

namespace vyx::ta {

int stochrsi_lookback(int rsi_period, int k, int d) noexcept {
  return rsi_period + (k - 1) + (d - 1);
}

int stochrsi_smoothed_lookback(int rsi_period, int stoch_period, int k, int d) noexcept {
  return rsi_period + (stoch_period - 1) + (k - 1) + (d - 1);
}

namespace {

// fast[i] = TA-Lib's STOCHRSI fastk for i >= rsi_period + k − 1; scratch
// holds 3·size doubles. Returns the first bar with a value.
std::size_t rsi_fast_k(const columns& in, int rsi_period, int k, double* scratch,
                       double* fast) noexcept {
  const std::size_t n = in.size;
  double* r = scratch;
  double* hh = r + n;
  double* ll = hh + n;
  rsi(in, rsi_period, r);
  const std::size_t first_rsi = static_cast<std::size_t>(rsi_period);
  const std::size_t window = static_cast<std::size_t>(k);
  detail::rolling_extreme<true>(r + first_rsi, n - first_rsi, window, hh + first_rsi);
  detail::rolling_extreme<false>(r + first_rsi, n - first_rsi, window, ll + first_rsi);
  const std::size_t first = first_rsi + window - 1;
  for (std::size_t i = first; i < n; ++i) fast[i] = stochastic_percent(r[i], hh[i], ll[i]);
  return first;
}

}  // namespace

status stochrsi(const columns& in, int rsi_period, int k, int d, double* fastk,
                double* fastd) noexcept {
  if (in.close == nullptr || fastk == nullptr || fastd == nullptr) return status::invalid_input;
  if (stochrsi_stream::validate(rsi_period, k, d) != status::ok) {
    detail::fill_no_value(fastk, 0, in.size);
    detail::fill_no_value(fastd, 0, in.size);
    return status::invalid_option;
  }
  if (status s = detail::warm_up(in.size, stochrsi_lookback(rsi_period, k, d), fastk, fastd);
      s != status::ok)
    return s;
  const std::size_t n = in.size;
  // std::nothrow_t{}, not std::nothrow: that object lives in libstdc++,
  // which a plugin built from this file may not import.
  std::unique_ptr<double[]> scratch(new (std::nothrow_t{}) double[4 * n]);
  if (!scratch) return status::invalid_input;
  double* fast = scratch.get() + 3 * n;
  const std::size_t first = rsi_fast_k(in, rsi_period, k, scratch.get(), fast);
  sma_of(fast + first, n - first, d, fastd + first);
  const std::size_t lookback = static_cast<std::size_t>(stochrsi_lookback(rsi_period, k, d));
  for (std::size_t i = lookback; i < n; ++i) fastk[i] = fast[i];
  return status::ok;
}

status stochrsi_smoothed(const columns& in, int rsi_period, int stoch_period, int k, int d,
                         double* k_line, double* d_line) noexcept {
  if (in.close == nullptr || k_line == nullptr || d_line == nullptr) return status::invalid_input;
  if (stochrsi_smoothed_stream::validate(rsi_period, stoch_period, k, d) != status::ok) {
    detail::fill_no_value(k_line, 0, in.size);
    detail::fill_no_value(d_line, 0, in.size);
    return status::invalid_option;
  }
  const int lookback = stochrsi_smoothed_lookback(rsi_period, stoch_period, k, d);
  if (status s = detail::warm_up(in.size, lookback, k_line, d_line); s != status::ok) return s;
  const std::size_t n = in.size;
  std::unique_ptr<double[]> scratch(new (std::nothrow_t{}) double[5 * n]);
  if (!scratch) return status::invalid_input;
  double* fast = scratch.get() + 3 * n;
  double* smooth = fast + n;
  const std::size_t first = rsi_fast_k(in, rsi_period, stoch_period, scratch.get(), fast);
  sma_of(fast + first, n - first, k, smooth + first);
  const std::size_t smooth_first = first + static_cast<std::size_t>(k - 1);
  sma_of(smooth + smooth_first, n - smooth_first, d, d_line + smooth_first);
  for (std::size_t i = static_cast<std::size_t>(lookback); i < n; ++i) k_line[i] = smooth[i];
  return status::ok;
}

}  // namespace vyx::ta
