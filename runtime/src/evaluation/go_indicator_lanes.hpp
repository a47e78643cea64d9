// The platform's chained indicators (EMA series, RSI) for several symbols'
// windows at once. Each is one long dependency chain per window (an
// EMA step waits for the previous one, an RSI step for a division), so one
// window at a time leaves the core waiting on latency; L windows advanced in
// the same loop are L independent chains the core overlaps. Each lane runs
// exactly the single-window kernel's operations in its order
// (indicator_kernels.hpp's steps), so every value is bit for bit the same.
// (The MACD kernel already advances its four chains side by side: lanes did
// not make it faster.)
// Host only, compiled with the kernels' IEEE flags (go_indicator_cache.cpp).
#pragma once

#include "vyx/sdk/go/indicator_kernels.hpp"

namespace vyx::runtime::go_lanes {

namespace kernels = vyx::go::kernels;

// kernels::ema_series for L windows of n closes each.
template <int L>
void ema_series(const double* const* close, long n, long period, double* const* out) {
  const double alpha = 2.0 / static_cast<double>(period + 1);
  double prev[L];
  for (int l = 0; l < L; ++l) prev[l] = out[l][0] = close[l][0];
  for (long i = 1; i < n; ++i)
    for (int l = 0; l < L; ++l)
      prev[l] = out[l][i] = kernels::ema_step(prev[l], close[l][i], alpha);
}

// kernels::rsi_series (rsi_averages and rsi_value) for L windows.
template <int L>
void rsi_series(const double* const* close, long n, long period, double* const* out) {
  const double p = static_cast<double>(period);
  double gain[L], loss[L];
  for (int l = 0; l < L; ++l) {
    double gain_sum = 0.0, loss_sum = 0.0;
    for (long i = 1; i <= period; ++i) {
      const double ch = close[l][i] - close[l][i - 1];
      if (ch > 0)
        gain_sum += ch;
      else
        loss_sum += -ch;
    }
    gain[l] = gain_sum / p;
    loss[l] = loss_sum / p;
    out[l][period] = kernels::rsi_value(gain[l], loss[l]);
  }
  const double kept = static_cast<double>(period - 1);
  for (long i = period + 1; i < n; ++i)
    for (int l = 0; l < L; ++l) {
      const double ch = close[l][i] - close[l][i - 1];
      const double g = ch > 0 ? ch : 0.0;
      const double d = ch > 0 ? 0.0 : -ch;
      gain[l] = (gain[l] * kept + g) / p;
      loss[l] = (loss[l] * kept + d) / p;
      out[l][i] = kernels::rsi_value(gain[l], loss[l]);
    }
}

}  // namespace vyx::runtime::go_lanes
