// See go_wide_kernels.hpp. Compiled with the plugins' IEEE flags
// (-ffp-contract=off, runtime/CMakeLists.txt). Each width is a function
// compiled for its instruction set (a target attribute) that inlines the
// kernels' templates with that register size; the SDK header passes no
// register by value, so no call crosses instruction sets with one.
#include "evaluation/go_wide_kernels.hpp"

#include "vyx/sdk/go/indicator_kernels.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace vyx::runtime {
namespace kernels = vyx::go::kernels;

namespace {

#if defined(__x86_64__)
typedef double four_windows __attribute__((vector_size(32)));
typedef double eight_windows __attribute__((vector_size(64)));

// Block shapes measured on a 2-core Xeon (Sapphire Rapids class), period 20
// over 250 candles: AVX-512 four registers of eight windows, AVX2 eight of four.
__attribute__((target("avx2"))) void ma_series_avx2(const double* close, long n, long period,
                                                    double* out) {
  kernels::ma_series<four_windows, 8>(close, n, period, out);
}
__attribute__((target("avx2"))) void bollinger_avx2(const double* close, long n, long period,
                                                    double mult, double* up, double* mid,
                                                    double* low) {
  kernels::bollinger<four_windows, 8>(close, n, period, mult, up, mid, low);
}
__attribute__((target("avx512f"))) void ma_series_avx512(const double* close, long n, long period,
                                                         double* out) {
  kernels::ma_series<eight_windows, 4>(close, n, period, out);
}
__attribute__((target("avx512f"))) void bollinger_avx512(const double* close, long n, long period,
                                                         double mult, double* up, double* mid,
                                                         double* low) {
  kernels::bollinger<eight_windows, 4>(close, n, period, mult, up, mid, low);
}
#endif

#if defined(__x86_64__)
// The RSI of four windows with fused multiply-adds (FMA3, which every AVX2
// and AVX-512 CPU of x86-64 has): a register holds one average of the four
// windows, so the averages need no shuffles and the values' two divisions
// are one instruction each for the four.
typedef double four __attribute__((vector_size(32)));
typedef unsigned long long four_bits __attribute__((vector_size(32)));

// Markstein's correction is exact when no quotient or residual comes near the
// subnormal range or overflow. Closes of 0 or of magnitude within
// [2^-400, 2^400] keep every nonzero change within [2^-452, 2^401], so
// thousands of Wilder steps stay far inside the normal range. NaNs and
// infinities are outside too (a NaN's sign bit could differ). As bits: the
// magnitude is 0 or in [low, high], one unsigned comparison after a shift.
constexpr unsigned long long magnitude_mask = ~0ull >> 1;
constexpr unsigned long long exact_low = 0x26F0000000000000ull;   // 2^-400
constexpr unsigned long long exact_high = 0x58F0000000000000ull;  // 2^400

__attribute__((target("avx2,fma"))) inline four_bits outside_exact_range(four closes) {
  four_bits bits;
  __builtin_memcpy(&bits, &closes, sizeof bits);
  bits &= magnitude_mask;
  return (four_bits)((bits != 0) & (bits - exact_low > exact_high - exact_low));
}

// The RSI value of the four windows' averages, as kernels::rsi_value, into
// out[l][i] for the first `lanes`.
__attribute__((target("avx2,fma"))) inline void store_rsi_values(four gain, four loss, long lanes,
                                                                 long i, double* const* out) {
  const four value = 100.0 - 100.0 / (1.0 + gain / loss);
  const four flat = gain > 0.0 ? four{100, 100, 100, 100} : four{50, 50, 50, 50};
  const four chosen = loss == 0.0 ? flat : value;
  for (long l = 0; l < lanes; ++l) out[l][i] = chosen[l];
}

// Wilder's step, (average * (period - 1) + move) / period, with the quotient
// correctly rounded without a division: q = t * (1/period) is within an ulp
// of it, the residual t - q * period is exact in one fused operation, and
// q + residual * (1/period), rounded once, is the correctly rounded quotient
// (Markstein's theorem; 1/period must itself be correctly rounded).
__attribute__((target("avx2,fma"))) inline four wilder_step(four average, four move, four keep,
                                                            four divisor, four reciprocal) {
  const four t = average * keep + move;
  const __m256d q = _mm256_mul_pd((__m256d)t, (__m256d)reciprocal);
  const __m256d residual = _mm256_fnmadd_pd(q, (__m256d)divisor, (__m256d)t);
  return (four)_mm256_fmadd_pd(residual, (__m256d)reciprocal, q);
}

__attribute__((target("avx2,fma"))) bool rsi_series_fused(const double* const* close, long lanes,
                                                          long n, long period, double* const* out) {
  const double* c[4];
  for (long l = 0; l < 4; ++l) c[l] = close[l < lanes ? l : 0];
  four_bits outside{};
  for (long i = 0; i < period; ++i)
    outside |= outside_exact_range(four{c[0][i], c[1][i], c[2][i], c[3][i]});
  kernels::window_pair seeds[4];
  kernels::rsi_seed_lanes<4>(c, period, seeds);
  four gain{seeds[0][0], seeds[1][0], seeds[2][0], seeds[3][0]};
  four loss{seeds[0][1], seeds[1][1], seeds[2][1], seeds[3][1]};
  store_rsi_values(gain, loss, lanes, period, out);

  const double p = static_cast<double>(period), k = static_cast<double>(period - 1);
  const double r = 1.0 / p;  // correctly rounded, as Markstein's correction needs
  const four divisor{p, p, p, p}, reciprocal{r, r, r, r}, keep{k, k, k, k};
  four previous{c[0][period], c[1][period], c[2][period], c[3][period]};
  outside |= outside_exact_range(previous);
  for (long i = period + 1; i < n; ++i) {
    const four now{c[0][i], c[1][i], c[2][i], c[3][i]};
    outside |= outside_exact_range(now);
    const four change = now - previous;
    previous = now;
    // kernels::rsi_move's gain and loss.
    const four rose = change > 0.0 ? four{1, 1, 1, 1} : four{};
    gain = wilder_step(gain, rose != 0.0 ? change : four{}, keep, divisor, reciprocal);
    loss = wilder_step(loss, rose != 0.0 ? four{} : -change, keep, divisor, reciprocal);
    store_rsi_values(gain, loss, lanes, i, out);
  }
  for (int l = 0; l < 4; ++l)
    if (outside[l] != 0) return false;
  return true;
}
#endif

}  // namespace

bool fused_multiply_add_runs(vector_width width) {
#if defined(__x86_64__)
  // The fused kernel runs in AVX2 registers with FMA3, which every AVX-512
  // CPU of x86-64 also has.
  static const bool fma = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return width != vector_width::sse2 && fma;
#else
  (void)width;
  return false;
#endif
}

bool go_rsi_series_lanes(const double* const* close, long lanes, long n, long period,
                         double* const* out, vector_width width) {
  if (lanes < 1 || lanes > 4 || !fused_multiply_add_runs(width)) return false;
#if defined(__x86_64__)
  return rsi_series_fused(close, lanes, n, period, out);
#else
  (void)close, (void)n, (void)period, (void)out;
  return false;
#endif
}

vector_width widest_vector_width() {
#if defined(__x86_64__)
  static const vector_width widest = __builtin_cpu_supports("avx512f") ? vector_width::avx512
                                     : __builtin_cpu_supports("avx2")  ? vector_width::avx2
                                                                       : vector_width::sse2;
  return widest;
#else
  return vector_width::sse2;
#endif
}

void go_ma_series(const double* close, long n, long period, double* out, vector_width width) {
  switch (width) {
#if defined(__x86_64__)
    case vector_width::avx512:
      return ma_series_avx512(close, n, period, out);
    case vector_width::avx2:
      return ma_series_avx2(close, n, period, out);
#endif
    default:
      return kernels::ma_series(close, n, period, out);
  }
}

void go_bollinger(const double* close, long n, long period, double mult, double* up, double* mid,
                  double* low, vector_width width) {
  switch (width) {
#if defined(__x86_64__)
    case vector_width::avx512:
      return bollinger_avx512(close, n, period, mult, up, mid, low);
    case vector_width::avx2:
      return bollinger_avx2(close, n, period, mult, up, mid, low);
#endif
    default:
      return kernels::bollinger(close, n, period, mult, up, mid, low);
  }
}

}  // namespace vyx::runtime
