// See go_wide_kernels.hpp. Compiled with the plugins' IEEE flags
// (-ffp-contract=off, runtime/CMakeLists.txt): the compiler fuses nothing, and
// the one fused multiply-add here, the RSI's Markstein correction, is written
// out with intrinsics. Each width is a function compiled for its instruction
// set (a target attribute) that inlines the kernels' templates with that
// register size; the SDK header passes no register by value, so no call
// crosses instruction sets with one.
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
// The chained kernels (EMA, RSI, MACD) of four windows: a register holds one
// line of the four, in AVX2 (with FMA3, which every AVX2 and AVX-512 CPU of
// x86-64 has; fused_multiply_add_runs() says whether this one runs them).
typedef double four __attribute__((vector_size(32)));
typedef unsigned long long four_bits __attribute__((vector_size(32)));

__attribute__((target("avx2,fma"))) inline four splat(double x) {
  return four{x, x, x, x};
}
// The weight of an EMA of `period`, as kernels::ema_step's alpha.
__attribute__((target("avx2,fma"))) inline four ema_weight(long period) {
  return splat(2.0 / static_cast<double>(period + 1));
}

// Four windows' values at index i, one register: what the chained kernels
// read a step at a time.
__attribute__((target("avx2,fma"))) inline four gather_step(const double* const* c, long i) {
  return four{c[0][i], c[1][i], c[2][i], c[3][i]};
}
__attribute__((target("avx2,fma"))) inline void scatter_step(double* const* out, long i, four v) {
  for (int l = 0; l < 4; ++l) out[l][i] = v[l];
}

// Markstein's correction is exact when no quotient or residual comes near the
// subnormal range or overflow. Closes of 0 or of magnitude within
// [2^-400, 2^400] keep every nonzero change within [2^-452, 2^401], so
// thousands of Wilder steps stay far inside the normal range. NaNs and
// infinities are outside too (a NaN's sign bit could differ). As bits: the
// magnitude is 0 or in [low, high], one unsigned comparison after an offset.
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
  const four flat = gain > 0.0 ? splat(100) : splat(50);
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
  for (long i = 0; i < period; ++i) outside |= outside_exact_range(gather_step(c, i));
  kernels::window_pair seeds[4];
  kernels::rsi_seed_lanes<4>(c, period, seeds);
  four gain{seeds[0][0], seeds[1][0], seeds[2][0], seeds[3][0]};
  four loss{seeds[0][1], seeds[1][1], seeds[2][1], seeds[3][1]};
  store_rsi_values(gain, loss, lanes, period, out);

  const double p = static_cast<double>(period), k = static_cast<double>(period - 1);
  const double r = 1.0 / p;  // correctly rounded, as Markstein's correction needs
  const four divisor = splat(p), reciprocal = splat(r), keep = splat(k);
  four previous = gather_step(c, period);
  outside |= outside_exact_range(previous);
  for (long i = period + 1; i < n; ++i) {
    const four now = gather_step(c, i);
    outside |= outside_exact_range(now);
    const four change = now - previous;
    previous = now;
    // kernels::rsi_move's gain and loss.
    const auto rose = change > 0.0;
    gain = wilder_step(gain, rose ? change : four{}, keep, divisor, reciprocal);
    loss = wilder_step(loss, rose ? four{} : -change, keep, divisor, reciprocal);
    store_rsi_values(gain, loss, lanes, i, out);
  }
  for (int l = 0; l < 4; ++l)
    if (outside[l] != 0) return false;
  return true;
}

// A 4x4 block turned over: rows of four consecutive values of a window become
// one register per index holding the four windows, and back.
__attribute__((target("avx2,fma"))) inline void transpose(four& a, four& b, four& c, four& d) {
  const four ab_low = __builtin_shufflevector(a, b, 0, 4, 2, 6);
  const four ab_high = __builtin_shufflevector(a, b, 1, 5, 3, 7);
  const four cd_low = __builtin_shufflevector(c, d, 0, 4, 2, 6);
  const four cd_high = __builtin_shufflevector(c, d, 1, 5, 3, 7);
  a = __builtin_shufflevector(ab_low, cd_low, 0, 1, 4, 5);
  b = __builtin_shufflevector(ab_high, cd_high, 0, 1, 4, 5);
  c = __builtin_shufflevector(ab_low, cd_low, 2, 3, 6, 7);
  d = __builtin_shufflevector(ab_high, cd_high, 2, 3, 6, 7);
}
__attribute__((target("avx2,fma"))) inline void load_block(const double* const* c, long i,
                                                           four* steps) {
  steps[0] = (four)_mm256_loadu_pd(c[0] + i);
  steps[1] = (four)_mm256_loadu_pd(c[1] + i);
  steps[2] = (four)_mm256_loadu_pd(c[2] + i);
  steps[3] = (four)_mm256_loadu_pd(c[3] + i);
  transpose(steps[0], steps[1], steps[2], steps[3]);
}
__attribute__((target("avx2,fma"))) inline void store_block(double* const* out, long i,
                                                            four* steps) {
  transpose(steps[0], steps[1], steps[2], steps[3]);
  _mm256_storeu_pd(out[0] + i, (__m256d)steps[0]);
  _mm256_storeu_pd(out[1] + i, (__m256d)steps[1]);
  _mm256_storeu_pd(out[2] + i, (__m256d)steps[2]);
  _mm256_storeu_pd(out[3] + i, (__m256d)steps[3]);
}

// kernels::ema_series_lanes<4> for each of `P` periods over the same four
// windows, one register per period, read and written as 4x4 blocks (as
// macd_wide): the same step per window in the same order. Two periods keep
// two chains in flight on the same blocks of closes, where one alone waits on
// its step's latency.
template <int P>
__attribute__((target("avx2,fma"))) void ema_wide(const double* const* close, long n,
                                                  const long* periods, double* const* const* out) {
  four weight[P], keep[P], previous[P];
  for (int p = 0; p < P; ++p) {
    weight[p] = ema_weight(periods[p]);
    keep[p] = 1 - weight[p];
    previous[p] = gather_step(close, 0);
    scatter_step(out[p], 0, previous[p]);
  }
  long i = 1;
  for (; i + 4 <= n; i += 4) {
    four x[4], values[P][4];
    load_block(close, i, x);
    for (int s = 0; s < 4; ++s)
      for (int p = 0; p < P; ++p)
        values[p][s] = previous[p] = x[s] * weight[p] + previous[p] * keep[p];
    for (int p = 0; p < P; ++p) store_block(out[p], i, values[p]);
  }
  for (; i < n; ++i) {
    const four now = gather_step(close, i);
    for (int p = 0; p < P; ++p) {
      previous[p] = now * weight[p] + previous[p] * keep[p];
      scatter_step(out[p], i, previous[p]);
    }
  }
}

// The MACD's lines of four windows with their weights, one candle at a time
// as kernels::macd_lanes steps them. Inlined whole into macd_wide, so the
// lines stay in registers.
struct macd_lines {
  four fast_a, fast_k, slow_a, slow_k, signal_a, signal_k;
  four fast, slow, line;

  // The fast and slow EMAs one candle on; the MACD line.
  __attribute__((target("avx2,fma"))) four emas_step(four x) {
    fast = x * fast_a + fast * fast_k;
    slow = x * slow_a + slow * slow_k;
    return fast - slow;
  }
  // After the signal's seeding: the three lines one candle on.
  __attribute__((target("avx2,fma"))) void step(four x, four& line_out, four& signal_out,
                                                four& histogram_out) {
    const four line_value = emas_step(x);
    line = line_value * signal_a + line * signal_k;
    line_out = line_value;
    signal_out = line;
    histogram_out = line_value - line;
  }
};

// kernels::macd_lanes<4>, the four windows in one register per line: the
// same operations per window in the same order, so the same values. The
// steps after the signal's seeding go four at a time, read and written as
// 4x4 blocks, since moving single values in and out of the registers would
// cost more than the arithmetic.
__attribute__((target("avx2,fma"))) void macd_wide(const double* const* close, long n,
                                                   long fast_period, long slow_period,
                                                   long signal_period, double* const* m,
                                                   double* const* sig, double* const* h) {
  macd_lines lines;
  lines.fast_a = ema_weight(fast_period);
  lines.fast_k = 1 - lines.fast_a;
  lines.slow_a = ema_weight(slow_period);
  lines.slow_k = 1 - lines.slow_a;
  lines.signal_a = ema_weight(signal_period);
  lines.signal_k = 1 - lines.signal_a;
  lines.fast = lines.slow = gather_step(close, 0);
  lines.line = four{};
  four seed_sum{};
  const long seeding = signal_period < n ? signal_period : n;
  for (long i = 0; i < seeding; ++i) {
    const four line_value = i > 0 ? lines.emas_step(gather_step(close, i)) : four{};
    scatter_step(m, i, line_value);
    seed_sum += line_value;
    four signal_value{};  // the caller's zeros before the signal's seed
    if (i == signal_period - 1) {
      lines.line = seed_sum / static_cast<double>(signal_period);
      signal_value = lines.line;
      scatter_step(sig, i, lines.line);
    }
    scatter_step(h, i, line_value - signal_value);
  }
  long i = seeding;
  for (; i + 4 <= n; i += 4) {
    four x[4], line_values[4], signal_values[4], histograms[4];
    load_block(close, i, x);
    for (int j = 0; j < 4; ++j) lines.step(x[j], line_values[j], signal_values[j], histograms[j]);
    store_block(m, i, line_values);
    store_block(sig, i, signal_values);
    store_block(h, i, histograms);
  }
  for (; i < n; ++i) {
    four line_value, signal_value, histogram;
    lines.step(gather_step(close, i), line_value, signal_value, histogram);
    scatter_step(m, i, line_value);
    scatter_step(sig, i, signal_value);
    scatter_step(h, i, histogram);
  }
}
#endif

}  // namespace

bool fused_multiply_add_runs(vector_width width) {
#if defined(__x86_64__)
  // The chained kernels run in AVX2 registers with FMA3 (the RSI's fused
  // correction), which every AVX-512 CPU of x86-64 also has.
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

bool go_macd_lanes(const double* const* close, long lanes, long n, long fast_period,
                   long slow_period, long signal_period, double* const* m, double* const* sig,
                   double* const* h, vector_width width) {
  // Four only: one run's lines, constants and block already fill the sixteen
  // AVX2 registers (eight windows interleaved, as ema_wide could, spilled and
  // ran slower than two runs of four).
  if (lanes != 4 || fast_period > n || !fused_multiply_add_runs(width)) return false;
#if defined(__x86_64__)
  macd_wide(close, n, fast_period, slow_period, signal_period, m, sig, h);
  return true;
#else
  (void)close, (void)slow_period, (void)signal_period, (void)m, (void)sig, (void)h;
  return false;
#endif
}

bool go_ema_series_lanes(const double* const* close, long lanes, long n, long period,
                         double* const* out, vector_width width) {
  // Four only: eight (two chains interleaved) ran faster alone, but as the
  // host's lanes they moved each group's results out of the L1 cache and
  // the five sample traders were no faster (BENCHMARKS.md).
  if (lanes != 4 || !fused_multiply_add_runs(width)) return false;
#if defined(__x86_64__)
  ema_wide<1>(close, n, &period, &out);
  return true;
#else
  (void)close, (void)n, (void)period, (void)out;
  return false;
#endif
}

bool go_ema_series_pair_lanes(const double* const* close, long lanes, long n, long period_a,
                              long period_b, double* const* out_a, double* const* out_b,
                              vector_width width) {
  if (lanes != 4 || !fused_multiply_add_runs(width)) return false;
#if defined(__x86_64__)
  const long periods[] = {period_a, period_b};
  double* const* outs[] = {out_a, out_b};
  ema_wide<2>(close, n, periods, outs);
  return true;
#else
  (void)close, (void)n, (void)period_a, (void)period_b, (void)out_a, (void)out_b;
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
