// The host's forms of the Go traders' window kernels, in the vector registers
// this CPU has: the MA series and Bollinger bands (only sums) in AVX-512,
// AVX2 or the plugins' own SSE2 form; the chained EMA, RSI and MACD of four
// symbols side by side in AVX2 registers, the RSI's divisions by its period
// replaced by fused multiply-adds that give the same quotient. Every lane
// runs the platform's operations in its order, so the values are bit for bit
// the plugins'; the host serves them to every Go trader of a symbol
// (go_indicator_cache). Each function that may decline returns false and the
// caller runs the SDK's kernel.
#pragma once

namespace vyx::runtime {

enum class vector_width { sse2, avx2, avx512 };

// The widest width this CPU runs (sse2 off x86-64: the kernels' portable form).
vector_width widest_vector_width();

// The kernels at `width`, which this CPU must run; the widest by default.
void go_ma_series(const double* close, long n, long period, double* out,
                  vector_width width = widest_vector_width());
void go_bollinger(const double* close, long n, long period, double mult, double* up, double* mid,
                  double* low, vector_width width = widest_vector_width());

// Whether the chained kernels below run at `width` on this CPU: AVX2 with
// fused multiply-add.
bool fused_multiply_add_runs(vector_width width);

// CalculateRSI's values of `lanes` (1 to 4) windows of n closes, as
// kernels::rsi_series_lanes: Needs 0 < period < n. Its cost there is the
// divider (each Wilder step divides both averages by the period); here that
// division is a multiplication by the period's reciprocal with Markstein's
// fused correction, which gives the correctly rounded quotient, so the
// values are the same bit for bit. False when `width` has no fused
// multiply-add here (nothing written) or a close is outside the range where
// the correction is proven exact (values from `period` on may be written):
// the caller runs the SDK's kernel then, which writes them all.
bool go_rsi_series_lanes(const double* const* close, long lanes, long n, long period,
                         double* const* out, vector_width width = widest_vector_width());

// kernels::ema_series_lanes of four windows in AVX2 registers, side by side:
// the same values bit for bit. Needs 0 < period <= n. False, with nothing
// written, for other lane counts or unless fused_multiply_add_runs(width):
// the caller runs the SDK's kernel then.
bool go_ema_series_lanes(const double* const* close, long lanes, long n, long period,
                         double* const* out, vector_width width = widest_vector_width());

// go_ema_series_lanes for two periods over the same four windows at once (a
// trader asking for EMA(50) and EMA(200) of one window): both chains run in
// the time of one. The same values bit for bit; the same conditions.
bool go_ema_series_pair_lanes(const double* const* close, long lanes, long n, long period_a,
                              long period_b, double* const* out_a, double* const* out_b,
                              vector_width width = widest_vector_width());

// kernels::macd_lanes of four windows in AVX2 registers, the windows side by
// side: the same values bit for bit. Needs 0 < slow <= n, signal > 0. False,
// with nothing written, unless `lanes` is 4, fused_multiply_add_runs(width)
// and fast <= n: the caller runs the SDK's kernel then.
bool go_macd_lanes(const double* const* close, long lanes, long n, long fast_period,
                   long slow_period, long signal_period, double* const* m, double* const* sig,
                   double* const* h, vector_width width = widest_vector_width());

}  // namespace vyx::runtime
