// The arithmetic of the platform's indicator helpers over plain arrays: the
// one definition that both a Go trader's plugin (indicators.hpp, through the
// compat layer's slices) and the host (which computes them once per symbol
// and tick for every Go trader, VYX_IND_GO_*) compile. Nothing here
// allocates or reads the market, so the host can include it. Whoever compiles
// it must keep IEEE semantics: -ffp-contract=off, no fast-math (the plugins'
// flags; the runtime's CMakeLists.txt sets them for the host's file).
//
// Every `out` array is n values long and zero-filled by the caller: the
// platform's zeros before warm-up are the values a kernel does not write.
#pragma once

namespace vyx::go::kernels {

// The platform sums each window newest to oldest, so no running sum: every
// index costs `period` additions, one dependency chain per window. The
// kernels below run 12 consecutive windows side by side in SSE2 registers
// (two windows per register, six registers): each window's sum is still its
// own chain, element by element in the platform's order, and a packed IEEE
// add, multiply, divide or square root rounds each lane exactly as the
// scalar one does, so the results are bit-identical; only the chains now
// overlap. Lane l of step j reads element i + l - j, so each register's two
// lanes are one unaligned load. A scalar tail handles what is left over.
typedef double window_pair __attribute__((vector_size(16)));
typedef long long mask_pair __attribute__((vector_size(16)));  // a comparison's lanes
inline constexpr long window_pairs = 6;

inline window_pair load_pair(const double* p) {
  window_pair v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}
inline void store_pair(double* p, window_pair v) {
  __builtin_memcpy(p, &v, sizeof v);
}
// The correctly rounded square root of each lane, like __builtin_sqrt's
// (which stays scalar: errno on a negative argument keeps it from packing).
inline window_pair sqrt_pair(window_pair v) {
#if defined(__SSE2__)
  return __builtin_ia32_sqrtpd(v);
#else
  return window_pair{__builtin_sqrt(v[0]), __builtin_sqrt(v[1])};
#endif
}

// The window kernels' blocks, for any register width: V holds W = sizeof(V) /
// 8 consecutive windows, P registers make a block of W * P windows. The
// plugins use window_pair (SSE2, every x86-64); the host also runs them in
// wider registers where the CPU has them (runtime/src/evaluation/
// go_wide_kernels.cpp), with the same operations per lane. Always inlined, and
// nothing passes a register by value, so each copy is compiled for its
// caller's instruction set. Each returns the first window it left undone.
template <class V, long P>
[[gnu::always_inline]] inline long window_sum_blocks(const double* close, long i, long n,
                                                     long period, double* sums) {
  constexpr long W = sizeof(V) / sizeof(double);
  for (; i + W * P <= n; i += W * P) {
    V s[P] = {};
    for (long j = 0; j < period; ++j)
      for (long p = 0; p < P; ++p) {
        V x;
        __builtin_memcpy(&x, close + i - j + W * p, sizeof x);
        s[p] += x;
      }
    for (long p = 0; p < P; ++p) __builtin_memcpy(sums + i + W * p, &s[p], sizeof(V));
  }
  return i;
}

template <class V, long P>
[[gnu::always_inline]] inline long window_square_deviation_blocks(const double* close,
                                                                  const double* mid, long i, long n,
                                                                  long period, double* sums) {
  constexpr long W = sizeof(V) / sizeof(double);
  for (; i + W * P <= n; i += W * P) {
    V m[P], s[P] = {};
    for (long p = 0; p < P; ++p) __builtin_memcpy(&m[p], mid + i + W * p, sizeof(V));
    for (long j = 0; j < period; ++j)
      for (long p = 0; p < P; ++p) {
        V x;
        __builtin_memcpy(&x, close + i - j + W * p, sizeof x);
        const V d = x - m[p];
        s[p] += d * d;
      }
    for (long p = 0; p < P; ++p) __builtin_memcpy(sums + i + W * p, &s[p], sizeof(V));
  }
  return i;
}

// sums[i] = close[i] + close[i-1] + ... + close[i-period+1], in that order,
// for i in [first, n): V blocks, then window_pair blocks, then one at a time.
template <class V = window_pair, long P = window_pairs>
[[gnu::always_inline]] inline void window_sums(const double* close, long first, long n, long period,
                                               double* sums) {
  long i = window_sum_blocks<V, P>(close, first, n, period, sums);
  if constexpr (sizeof(V) != sizeof(window_pair))
    i = window_sum_blocks<window_pair, window_pairs>(close, i, n, period, sums);
  for (; i < n; ++i) {
    double s = 0.0;
    for (long j = 0; j < period; ++j) s += close[i - j];
    sums[i] = s;
  }
}

// sums[i] = the squared deviations of the same windows from mid[i], newest
// to oldest, for i in [first, n).
template <class V = window_pair, long P = window_pairs>
[[gnu::always_inline]] inline void window_square_deviations(const double* close, const double* mid,
                                                            long first, long n, long period,
                                                            double* sums) {
  long i = window_square_deviation_blocks<V, P>(close, mid, first, n, period, sums);
  if constexpr (sizeof(V) != sizeof(window_pair))
    i = window_square_deviation_blocks<window_pair, window_pairs>(close, mid, i, n, period, sums);
  for (; i < n; ++i) {
    double s = 0.0;
    for (long j = 0; j < period; ++j) {
      const double d = close[i - j] - mid[i];
      s += d * d;
    }
    sums[i] = s;
  }
}

// x[i] = x[i] / d for i in [0, n): two lanes per division.
inline void divide_all(double* x, long n, double d) {
  long i = 0;
  for (; i + 2 <= n; i += 2) store_pair(x + i, load_pair(x + i) / d);
  for (; i < n; ++i) x[i] = x[i] / d;
}

// The one EMA step: x*alpha + prev*(1-alpha), in that order.
inline double ema_step(double prev, double x, double alpha) {
  return x * alpha + prev * (1 - alpha);
}

inline double rsi_value(double gain, double loss) {
  if (loss == 0) return gain > 0 ? 100 : 50;
  return 100 - 100 / (1 + gain / loss);
}

// rsi_value of two pairs of averages, {gain, loss} each: its two divisions
// packed, one lane per value. A lane whose loss is 0 divides by zero (an inf
// or a NaN, nothing traps) and takes rsi_value's answer instead.
inline void rsi_value_pair(window_pair first, window_pair second, double* first_out,
                           double* second_out) {
  const window_pair gain{first[0], second[0]}, loss{first[1], second[1]};
  const window_pair value = 100.0 - 100.0 / (1.0 + gain / loss);
  *first_out = loss[0] == 0 ? rsi_value(gain[0], loss[0]) : value[0];
  *second_out = loss[1] == 0 ? rsi_value(gain[1], loss[1]) : value[1];
}

// {ch > 0 ? ch : 0.0, ch > 0 ? 0.0 : -ch}, the step's gain and loss, chosen
// by a mask instead of a branch: a price's direction is a coin toss that a
// branch predictor loses half the time.
inline window_pair rsi_move(double ch) {
  const mask_pair rose = (mask_pair)(window_pair{ch, ch} > 0.0);
  const mask_pair second_lane{0, -1};
  const mask_pair keep = rose ^ second_lane;
  return (window_pair)((mask_pair)window_pair{ch, -ch} & keep);
}

// Wilder's averages, {gain, loss} in one register with a lane each: they are
// the RSI's only dependency chains, so a step is one packed multiply, add and
// division (the division's throughput is the floor of the RSI's cost). The
// RSI values are computed off the chains, so their divisions do not queue
// behind the chains' in the divider.
//
// The *_lanes forms take L windows of n closes at once: the host computes a
// chained indicator for a few symbols together, as L independent chains in
// one loop that the core overlaps. Each lane runs exactly the steps of a
// window alone, in its order, so every value is bit for bit the same; the
// single-window forms are the lanes form with L = 1.

// The averages at index `period`: the first `period` changes summed, oldest first.
template <int L>
inline void rsi_seed_lanes(const double* const* close, long period, window_pair* averages) {
  for (int l = 0; l < L; ++l) {
    double gain_sum = 0.0, loss_sum = 0.0;
    for (long i = 1; i <= period; ++i) {
      const double ch = close[l][i] - close[l][i - 1];
      if (ch > 0)
        gain_sum += ch;
      else
        loss_sum += -ch;
    }
    averages[l] = window_pair{gain_sum, loss_sum} / static_cast<double>(period);
  }
}

// The averages at index i from those at i - 1.
template <int L>
inline void rsi_step_lanes(const double* const* close, long i, long period, window_pair* averages) {
  for (int l = 0; l < L; ++l) {
    const double ch = close[l][i] - close[l][i - 1];
    const window_pair move = rsi_move(ch);
    averages[l] =
        (averages[l] * static_cast<double>(period - 1) + move) / static_cast<double>(period);
  }
}

// `average(i, {gain, loss})` for every index from `period` on, in order.
template <class Average>
inline void rsi_averages(const double* close, long n, long period, Average average) {
  window_pair averages;
  rsi_seed_lanes<1>(&close, period, &averages);
  average(period, averages);
  for (long i = period + 1; i < n; ++i) {
    rsi_step_lanes<1>(&close, i, period, &averages);
    average(i, averages);
  }
}

// The preconditions below are the platform's nil (or all-zero) cases; the
// callers check them first.

// CalculateMASeries. Needs 0 < period <= n. V, P: as window_sum_blocks.
template <class V = window_pair, long P = window_pairs>
[[gnu::always_inline]] inline void ma_series(const double* close, long n, long period,
                                             double* out) {
  window_sums<V, P>(close, period - 1, n, period, out);
  divide_all(out + period - 1, n - period + 1, static_cast<double>(period));
}

// CalculateEMASeries (and CalculateEMA, its last value), for L windows.
// Needs 0 < period <= n.
template <int L>
inline void ema_series_lanes(const double* const* close, long n, long period, double* const* out) {
  const double alpha = 2.0 / static_cast<double>(period + 1);
  double prev[L];
  for (int l = 0; l < L; ++l) prev[l] = out[l][0] = close[l][0];
  for (long i = 1; i < n; ++i)
    for (int l = 0; l < L; ++l) prev[l] = out[l][i] = ema_step(prev[l], close[l][i], alpha);
}
inline void ema_series(const double* close, long n, long period, double* out) {
  ema_series_lanes<1>(&close, n, period, &out);
}

// CalculateRSI's values, for L windows. Needs 0 < period < n. Two indices at
// a time, so each lane's two values share their divisions.
template <int L>
inline void rsi_series_lanes(const double* const* close, long n, long period, double* const* out) {
  window_pair averages[L], earlier[L];
  rsi_seed_lanes<L>(close, period, averages);
  for (long i = period;; i += 2) {  // averages are at i
    if (i + 1 == n) {
      for (int l = 0; l < L; ++l) out[l][i] = rsi_value(averages[l][0], averages[l][1]);
      return;
    }
    for (int l = 0; l < L; ++l) earlier[l] = averages[l];
    rsi_step_lanes<L>(close, i + 1, period, averages);
    for (int l = 0; l < L; ++l) rsi_value_pair(earlier[l], averages[l], &out[l][i], &out[l][i + 1]);
    if (i + 2 == n) return;
    rsi_step_lanes<L>(close, i + 2, period, averages);
  }
}
inline void rsi_series(const double* close, long n, long period, double* out) {
  rsi_series_lanes<1>(&close, n, period, &out);
}

// CalculateMACD's three lines when both EMA series exist (0 < fast, slow <=
// n, signal > 0), for L windows: one walk with the fast and slow EMAs (one
// register, a lane each), the signal line and the histogram side by side,
// each the same operations in the same order as computed one after the
// other (the signal's seed sums the MACD line oldest to newest). The signal
// line's seeding and its EMA are two loops, so no step tests its index.
template <int L>
inline void macd_lanes(const double* const* close, long n, long fast_period, long slow_period,
                       long signal_period, double* const* m, double* const* sig, double* const* h) {
  const double fast_alpha = 2.0 / static_cast<double>(fast_period + 1);
  const double slow_alpha = 2.0 / static_cast<double>(slow_period + 1);
  const double signal_alpha = 2.0 / static_cast<double>(signal_period + 1);
  // ema_step's x * alpha + prev * (1 - alpha), for both EMAs at once.
  const window_pair alpha{fast_alpha, slow_alpha}, keep{1 - fast_alpha, 1 - slow_alpha};
  window_pair emas[L];
  double seed_sum[L], line[L];
  for (int l = 0; l < L; ++l) {
    emas[l] = window_pair{close[l][0], close[l][0]};
    seed_sum[l] = line[l] = 0.0;
  }
  const long seeding = signal_period < n ? signal_period : n;
  for (long i = 0; i < seeding; ++i)
    for (int l = 0; l < L; ++l) {
      if (i > 0) emas[l] = window_pair{close[l][i], close[l][i]} * alpha + emas[l] * keep;
      const double line_value = m[l][i] = emas[l][0] - emas[l][1];
      seed_sum[l] += line_value;
      if (i == signal_period - 1) {
        line[l] = seed_sum[l] / static_cast<double>(signal_period);
        sig[l][i] = line[l];
      }
      h[l][i] = line_value - sig[l][i];
    }
  for (long i = seeding; i < n; ++i)
    for (int l = 0; l < L; ++l) {
      emas[l] = window_pair{close[l][i], close[l][i]} * alpha + emas[l] * keep;
      const double line_value = m[l][i] = emas[l][0] - emas[l][1];
      line[l] = ema_step(line[l], line_value, signal_alpha);
      sig[l][i] = line[l];
      h[l][i] = line_value - line[l];
    }
}

// CalculateMACD's three lines. Needs 0 < slow <= n, fast > 0, signal > 0.
inline void macd(const double* close, long n, long fast_period, long slow_period,
                 long signal_period, double* m, double* sig, double* h) {
  const double signal_alpha = 2.0 / static_cast<double>(signal_period + 1);
  if (fast_period <= n) {
    macd_lanes<1>(&close, n, fast_period, slow_period, signal_period, &m, &sig, &h);
    return;
  }
  // The fast EMA series is the platform's all-zero one (fewer candles than
  // its period): the MACD line is 0 minus the slow EMA.
  ema_series(close, n, slow_period, m);
  for (long i = 0; i < n; ++i) m[i] = 0.0 - m[i];
  if (n >= signal_period) {
    double sum = 0.0;
    for (long i = 0; i < signal_period; ++i) sum += m[i];
    sig[signal_period - 1] = sum / static_cast<double>(signal_period);
    for (long i = signal_period; i < n; ++i) sig[i] = ema_step(sig[i - 1], m[i], signal_alpha);
  }
  for (long i = 0; i < n; ++i) h[i] = m[i] - sig[i];
}

// CalculateBollingerBands. Needs 0 < period <= n. V, P: as window_sum_blocks.
template <class V = window_pair, long P = window_pairs>
[[gnu::always_inline]] inline void bollinger(const double* close, long n, long period, double mult,
                                             double* up, double* mid, double* low) {
  ma_series<V, P>(close, n, period, mid);
  // Squared deviations from each index's own middle, newest to oldest like
  // the middle band; the sums go in `up` first, then become the bands.
  window_square_deviations<V, P>(close, mid, period - 1, n, period, up);
  const double count = static_cast<double>(period);
  long i = period - 1;
  for (; i + 2 <= n; i += 2) {
    const window_pair sd = sqrt_pair(load_pair(up + i) / count);
    const window_pair m = load_pair(mid + i);
    store_pair(up + i, m + mult * sd);
    store_pair(low + i, m - mult * sd);
  }
  for (; i < n; ++i) {
    const double sd = __builtin_sqrt(up[i] / count);
    up[i] = mid[i] + mult * sd;
    low[i] = mid[i] - mult * sd;
  }
}

}  // namespace vyx::go::kernels
