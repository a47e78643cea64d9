// The platform's 16 indicator helpers (shared/PLATFORM.md, "The indicator
// functions"), for translated Go traders: bit-exact with the platform,
// including its operation order (plugins build with -ffp-contract=off).
//
// Why this is not vyx::ta (indicators/, TA-Lib-exact): the platform's
// helpers differ from TA-Lib on purpose and a Go trader must keep them:
// EMA seeded with the first close (TA-Lib: the SMA of the first n), zeros
// instead of NaN before warm-up, MASeries and Bollinger summing each window
// newest to oldest (TA-Lib: a running sum), population sd around each
// index's own middle, RSI 50/100 on flat series, the Stochastic D = K*0.9,
// a whole-slice VWAP with (H+L+C)/3, and nil results where TA-Lib has
// lookback. These functions are only for the Go compat layer.
#pragma once

#include "vyx/sdk/go/types.hpp"

namespace vyx::go::indicators {

struct BollingerBandsResult {
  slice<double> Upper, Middle, Lower;
};
struct MACDResult {
  slice<double> MACD, Signal, Histogram;
};
struct RSIResult {
  slice<double> Values;
};
struct StochasticResult {
  double K{}, D{};
};
struct LatestMACD {
  double MACD{}, Signal{}, Histogram{};
};
struct LatestBands {
  double Upper{}, Middle{}, Lower{};
};

using Klines = slice<types::Kline>;
using vyx::go::kline_field;

inline ptr<double> CalculateMA(const Klines& k, long period) {
  if (period <= 0 || k.len() < period) return nil;
  const double* close = k.field(kline_field::close);
  double sum = 0.0;
  for (long i = k.len() - period; i < k.len(); ++i) sum += close[i];
  return new_value(sum / static_cast<double>(period));
}

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
inline constexpr long window_pairs = 6;
inline constexpr long window_block = 2 * window_pairs;

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

// sums[i] = close[i] + close[i-1] + ... + close[i-period+1], in that order,
// for i in [first, n).
inline void window_sums(const double* close, long first, long n, long period, double* sums) {
  long i = first;
  for (; i + window_block <= n; i += window_block) {
    window_pair s[window_pairs] = {};
    for (long j = 0; j < period; ++j)
      for (long p = 0; p < window_pairs; ++p) s[p] += load_pair(close + i - j + 2 * p);
    for (long p = 0; p < window_pairs; ++p) store_pair(sums + i + 2 * p, s[p]);
  }
  for (; i < n; ++i) {
    double s = 0.0;
    for (long j = 0; j < period; ++j) s += close[i - j];
    sums[i] = s;
  }
}

// sums[i] = the squared deviations of the same windows from mid[i], newest
// to oldest, for i in [first, n).
inline void window_square_deviations(const double* close, const double* mid, long first, long n,
                                     long period, double* sums) {
  long i = first;
  for (; i + window_block <= n; i += window_block) {
    window_pair m[window_pairs], s[window_pairs] = {};
    for (long p = 0; p < window_pairs; ++p) m[p] = load_pair(mid + i + 2 * p);
    for (long j = 0; j < period; ++j)
      for (long p = 0; p < window_pairs; ++p) {
        const window_pair d = load_pair(close + i - j + 2 * p) - m[p];
        s[p] += d * d;
      }
    for (long p = 0; p < window_pairs; ++p) store_pair(sums + i + 2 * p, s[p]);
  }
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

inline slice<double> CalculateMASeries(const Klines& k, long period) {
  slice<double> out = make_slice<double>(k.len(), k.len());
  if (period <= 0 || k.len() < period) return out;
  double* o = out.data();
  window_sums(k.field(kline_field::close), period - 1, k.len(), period, o);
  divide_all(o + period - 1, k.len() - period + 1, static_cast<double>(period));
  return out;
}

// The one EMA step: x*alpha + prev*(1-alpha), in that order.
inline double ema_step(double prev, double x, double alpha) {
  return x * alpha + prev * (1 - alpha);
}

inline ptr<double> CalculateEMA(const Klines& k, long period) {
  if (period <= 0 || k.len() < period) return nil;
  const double* close = k.field(kline_field::close);
  const double alpha = 2.0 / static_cast<double>(period + 1);
  double ema = close[0];
  for (long i = 1; i < k.len(); ++i) ema = ema_step(ema, close[i], alpha);
  return new_value(ema);
}

inline slice<double> CalculateEMASeries(const Klines& k, long period) {
  slice<double> out = make_slice<double>(k.len(), k.len());
  if (period <= 0 || k.len() < period) return out;
  const double* close = k.field(kline_field::close);
  const double alpha = 2.0 / static_cast<double>(period + 1);
  out[0] = close[0];
  for (long i = 1; i < k.len(); ++i) out[i] = ema_step(out[i - 1], close[i], alpha);
  return out;
}

inline double rsi_value(double gain, double loss) {
  if (loss == 0) return gain > 0 ? 100 : 50;
  return 100 - 100 / (1 + gain / loss);
}

// Wilder's averages over the whole slice: `average(i, gain, loss)` for every
// index from `period` on, in order. The two averages are the RSI's only
// dependency chains (a multiply, an add and a division per step, the floor
// of its cost); the RSI values themselves are left to the caller, off the
// chains, so their divisions do not queue behind the chains' in the divider.
template <class Average>
inline void rsi_averages(const double* close, long n, long period, Average average) {
  double gain_sum = 0.0, loss_sum = 0.0;
  for (long i = 1; i <= period; ++i) {
    const double ch = close[i] - close[i - 1];
    if (ch > 0)
      gain_sum += ch;
    else
      loss_sum += -ch;
  }
  double avg_gain = gain_sum / static_cast<double>(period);
  double avg_loss = loss_sum / static_cast<double>(period);
  average(period, avg_gain, avg_loss);
  for (long i = period + 1; i < n; ++i) {
    const double ch = close[i] - close[i - 1];
    const double gain = ch > 0 ? ch : 0.0;
    const double loss = ch > 0 ? 0.0 : -ch;
    avg_gain = (avg_gain * static_cast<double>(period - 1) + gain) / static_cast<double>(period);
    avg_loss = (avg_loss * static_cast<double>(period - 1) + loss) / static_cast<double>(period);
    average(i, avg_gain, avg_loss);
  }
}

inline ptr<RSIResult> CalculateRSI(const Klines& k, long period) {
  if (period <= 0 || k.len() < period + 1) return nil;
  slice<double> values = make_slice<double>(k.len(), k.len());
  double* v = values.data();
  rsi_averages(k.field(kline_field::close), k.len(), period,
               [&](long i, double gain, double loss) { v[i] = rsi_value(gain, loss); });
  return new_value(RSIResult{values});
}

// The platform's answer is the newest non-zero value of CalculateRSI's series
// (the values before `period` are zeros). The newest value almost always is
// non-zero: only the averages are walked, and only when it is zero a second
// walk looks for the newest non-zero value.
inline ptr<double> GetLatestRSI(const Klines& k, long period) {
  if (period <= 0 || k.len() < period + 1) return nil;
  double gain = 0.0, loss = 0.0;
  rsi_averages(k.field(kline_field::close), k.len(), period, [&](long, double g, double l) {
    gain = g;
    loss = l;
  });
  double latest = rsi_value(gain, loss);
  if (latest == 0) {
    rsi_averages(k.field(kline_field::close), k.len(), period, [&](long, double g, double l) {
      const double v = rsi_value(g, l);
      if (v != 0) latest = v;
    });
  }
  if (latest == 0) return nil;
  return new_value(latest);
}

inline ptr<MACDResult> CalculateMACD(const Klines& k, long fast_period, long slow_period,
                                     long signal_period) {
  if (k.len() < slow_period || fast_period <= 0 || slow_period <= 0 || signal_period <= 0)
    return nil;
  const long n = k.len();
  slice<double> macd = make_slice<double>(n, n);
  slice<double> signal = make_slice<double>(n, n);
  slice<double> hist = make_slice<double>(n, n);
  double* m = macd.data();
  double* sig = signal.data();
  double* h = hist.data();
  const double signal_alpha = 2.0 / static_cast<double>(signal_period + 1);
  if (fast_period <= n) {
    // Both EMA series exist (the guard covers the slow one): one walk with
    // the fast and slow EMAs, the signal line and the histogram side by
    // side, each the same operations in the same order as computed one
    // after the other (the signal's seed sums the MACD line oldest to
    // newest), so the four dependency chains overlap instead of queueing.
    const double* close = k.field(kline_field::close);
    const double fast_alpha = 2.0 / static_cast<double>(fast_period + 1);
    const double slow_alpha = 2.0 / static_cast<double>(slow_period + 1);
    double fast = close[0], slow = close[0];
    double seed_sum = 0.0, line = 0.0;
    for (long i = 0; i < n; ++i) {
      if (i > 0) {
        fast = ema_step(fast, close[i], fast_alpha);
        slow = ema_step(slow, close[i], slow_alpha);
      }
      m[i] = fast - slow;
      if (i < signal_period) {
        seed_sum += m[i];
        if (i == signal_period - 1) line = seed_sum / static_cast<double>(signal_period);
      } else {
        line = ema_step(line, m[i], signal_alpha);
      }
      if (i >= signal_period - 1) sig[i] = line;
      h[i] = m[i] - sig[i];
    }
    return new_value(MACDResult{macd, signal, hist});
  }
  const slice<double> fast = CalculateEMASeries(k, fast_period);
  const slice<double> slow = CalculateEMASeries(k, slow_period);
  for (long i = 0; i < n; ++i) m[i] = fast[i] - slow[i];
  if (n >= signal_period) {
    double sum = 0.0;
    for (long i = 0; i < signal_period; ++i) sum += m[i];
    sig[signal_period - 1] = sum / static_cast<double>(signal_period);
    for (long i = signal_period; i < n; ++i) sig[i] = ema_step(sig[i - 1], m[i], signal_alpha);
  }
  for (long i = 0; i < n; ++i) h[i] = m[i] - sig[i];
  return new_value(MACDResult{macd, signal, hist});
}

inline ptr<LatestMACD> GetLatestMACD(const Klines& k, long fast, long slow, long signal) {
  const ptr<MACDResult> r = CalculateMACD(k, fast, slow, signal);
  if (r == nil) return nil;
  const long last = r->MACD.len() - 1;
  return new_value(LatestMACD{r->MACD[last], r->Signal[last], r->Histogram[last]});
}

inline ptr<BollingerBandsResult> CalculateBollingerBands(const Klines& k, long period,
                                                         double mult) {
  if (period <= 0 || k.len() < period) return nil;
  const long n = k.len();
  const double* close = k.field(kline_field::close);
  const slice<double> middle = CalculateMASeries(k, period);
  slice<double> upper = make_slice<double>(n, n);
  slice<double> lower = make_slice<double>(n, n);
  // Squared deviations from each index's own middle, newest to oldest like
  // the middle band; the sums go in `upper` first, then become the bands.
  const double* mid = middle.data();
  double* up = upper.data();
  double* low = lower.data();
  window_square_deviations(close, mid, period - 1, n, period, up);
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
  return new_value(BollingerBandsResult{upper, middle, lower});
}

inline ptr<LatestBands> GetLatestBollingerBands(const Klines& k, long period, double mult) {
  const ptr<BollingerBandsResult> r = CalculateBollingerBands(k, period, mult);
  if (r == nil) return nil;
  const long last = r->Middle.len() - 1;
  return new_value(LatestBands{r->Upper[last], r->Middle[last], r->Lower[last]});
}

inline ptr<double> GetHighestHigh(const Klines& k, long period) {
  if (period <= 0 || k.len() < period) return nil;
  const double* high = k.field(kline_field::high);
  double h = high[k.len() - period];
  for (long i = k.len() - period + 1; i < k.len(); ++i)
    if (high[i] > h) h = high[i];
  return new_value(h);
}

inline ptr<double> GetLowestLow(const Klines& k, long period) {
  if (period <= 0 || k.len() < period) return nil;
  const double* low = k.field(kline_field::low);
  double l = low[k.len() - period];
  for (long i = k.len() - period + 1; i < k.len(); ++i)
    if (low[i] < l) l = low[i];
  return new_value(l);
}

inline ptr<StochasticResult> CalculateStochastic(const Klines& k, long k_period, long) {
  if (k_period <= 0 || k.len() < k_period) return nil;
  const double* close = k.field(kline_field::close);
  const double hh = *GetHighestHigh(k, k_period);
  const double ll = *GetLowestLow(k, k_period);
  const double last = close[k.len() - 1];
  double v = 50.0;
  if (hh > ll) v = (last - ll) / (hh - ll) * 100;
  return new_value(StochasticResult{v, v * 0.9});
}

inline ptr<double> CalculateAvgVolume(const Klines& k, long period) {
  if (period <= 0 || k.len() < period) return nil;
  const double* volume = k.field(kline_field::volume);
  double sum = 0.0;
  for (long i = k.len() - period; i < k.len(); ++i) sum += volume[i];
  return new_value(sum / static_cast<double>(period));
}

inline double CalculateVWAP(const Klines& k) {
  if (k.len() == 0) return 0;
  const double* close = k.field(kline_field::close);
  const double* high = k.field(kline_field::high);
  const double* low = k.field(kline_field::low);
  const double* volume = k.field(kline_field::volume);
  // The products first, two lanes per packed division (a chunk at a time, on
  // the stack), then the two sums oldest to newest as the platform adds them.
  constexpr long chunk = 64;
  double products[chunk];
  double pv = 0.0, vol = 0.0;
  for (long from = 0; from < k.len(); from += chunk) {
    const long count = k.len() - from < chunk ? k.len() - from : chunk;
    long i = 0;
    for (; i + 2 <= count; i += 2) {
      const long at = from + i;
      const window_pair typical =
          (load_pair(high + at) + load_pair(low + at) + load_pair(close + at)) / 3;
      store_pair(products + i, typical * load_pair(volume + at));
    }
    for (; i < count; ++i) {
      const long at = from + i;
      products[i] = (high[at] + low[at] + close[at]) / 3 * volume[at];
    }
    for (i = 0; i < count; ++i) {
      pv += products[i];
      vol += volume[from + i];
    }
  }
  if (vol == 0) return 0;
  return pv / vol;
}

inline string DetectEngulfingPattern(const Klines& k) {
  if (k.len() < 3) return string();
  const types::Kline prev = k[k.len() - 3];
  const types::Kline cur = k[k.len() - 2];
  if (prev.Close < prev.Open && cur.Close > cur.Open && cur.Open < prev.Close &&
      cur.Close > prev.Open)
    return string("bullish");
  if (prev.Close > prev.Open && cur.Close < cur.Open && cur.Open > prev.Close &&
      cur.Close < prev.Open)
    return string("bearish");
  return string();
}

}  // namespace vyx::go::indicators
