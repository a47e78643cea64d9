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
// index costs `period` additions. window_sums runs four windows side by side
// (each sum still in its own exact order, so the results are bit-identical)
// to overlap the four dependency chains. `term(i, j)` is what window i (the
// window ending at index i) adds for element j; `store(i, sum)` takes its sum.
template <class Term, class Store>
inline void window_sums(long first, long n, long period, Term term, Store store) {
  long i = first;
  for (; i + 4 <= n; i += 4) {
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    for (long j = 0; j < period; ++j) {
      s0 += term(i, i - j);
      s1 += term(i + 1, i + 1 - j);
      s2 += term(i + 2, i + 2 - j);
      s3 += term(i + 3, i + 3 - j);
    }
    store(i, s0);
    store(i + 1, s1);
    store(i + 2, s2);
    store(i + 3, s3);
  }
  for (; i < n; ++i) {
    double s = 0.0;
    for (long j = 0; j < period; ++j) s += term(i, i - j);
    store(i, s);
  }
}

inline slice<double> CalculateMASeries(const Klines& k, long period) {
  slice<double> out = make_slice<double>(k.len(), k.len());
  if (period <= 0 || k.len() < period) return out;
  const double* close = k.field(kline_field::close);
  double* o = out.data();
  window_sums(
      period - 1, k.len(), period, [&](long, long j) { return close[j]; },
      [&](long i, double sum) { o[i] = sum / static_cast<double>(period); });
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

// Wilder's RSI over the whole slice: `value(i, rsi)` for every index from
// `period` on, in order. One walk for the series and for the latest value.
template <class Value>
inline void rsi_walk(const double* close, long n, long period, Value value) {
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
  value(period, rsi_value(avg_gain, avg_loss));
  for (long i = period + 1; i < n; ++i) {
    const double ch = close[i] - close[i - 1];
    double gain = 0.0, loss = 0.0;
    if (ch > 0)
      gain = ch;
    else
      loss = -ch;
    avg_gain = (avg_gain * static_cast<double>(period - 1) + gain) / static_cast<double>(period);
    avg_loss = (avg_loss * static_cast<double>(period - 1) + loss) / static_cast<double>(period);
    value(i, rsi_value(avg_gain, avg_loss));
  }
}

inline ptr<RSIResult> CalculateRSI(const Klines& k, long period) {
  if (period <= 0 || k.len() < period + 1) return nil;
  slice<double> values = make_slice<double>(k.len(), k.len());
  rsi_walk(k.field(kline_field::close), k.len(), period,
           [&](long i, double v) { values[i] = v; });
  return new_value(RSIResult{values});
}

// The platform's answer is the newest non-zero value of CalculateRSI's series
// (the values before `period` are zeros): the same, without the series.
inline ptr<double> GetLatestRSI(const Klines& k, long period) {
  if (period <= 0 || k.len() < period + 1) return nil;
  double latest = 0;
  rsi_walk(k.field(kline_field::close), k.len(), period, [&](long, double v) {
    if (v != 0) latest = v;
  });
  if (latest == 0) return nil;
  return new_value(latest);
}

inline ptr<MACDResult> CalculateMACD(const Klines& k, long fast_period, long slow_period,
                                     long signal_period) {
  if (k.len() < slow_period || fast_period <= 0 || slow_period <= 0 || signal_period <= 0)
    return nil;
  const long n = k.len();
  slice<double> macd = make_slice<double>(n, n);
  if (fast_period <= n) {
    // Both EMA series exist (the guard covers the slow one): one walk, the
    // two recurrences side by side, each exactly CalculateEMASeries's.
    const double* close = k.field(kline_field::close);
    const double fast_alpha = 2.0 / static_cast<double>(fast_period + 1);
    const double slow_alpha = 2.0 / static_cast<double>(slow_period + 1);
    double* m = macd.data();
    double fast = close[0], slow = close[0];
    m[0] = fast - slow;
    for (long i = 1; i < n; ++i) {
      fast = ema_step(fast, close[i], fast_alpha);
      slow = ema_step(slow, close[i], slow_alpha);
      m[i] = fast - slow;
    }
  } else {
    const slice<double> fast = CalculateEMASeries(k, fast_period);
    const slice<double> slow = CalculateEMASeries(k, slow_period);
    for (long i = 0; i < n; ++i) macd[i] = fast[i] - slow[i];
  }
  slice<double> signal = make_slice<double>(n, n);
  if (n >= signal_period) {
    double sum = 0.0;
    for (long i = 0; i < signal_period; ++i) sum += macd[i];
    signal[signal_period - 1] = sum / static_cast<double>(signal_period);
    const double alpha = 2.0 / static_cast<double>(signal_period + 1);
    for (long i = signal_period; i < n; ++i) signal[i] = ema_step(signal[i - 1], macd[i], alpha);
  }
  slice<double> hist = make_slice<double>(n, n);
  for (long i = 0; i < n; ++i) hist[i] = macd[i] - signal[i];
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
  // the middle band.
  const double* mid = middle.data();
  double* up = upper.data();
  double* low = lower.data();
  window_sums(
      period - 1, n, period,
      [&](long i, long j) {
        const double d = close[j] - mid[i];
        return d * d;
      },
      [&](long i, double sq) {
        const double sd = __builtin_sqrt(sq / static_cast<double>(period));
        up[i] = mid[i] + mult * sd;
        low[i] = mid[i] - mult * sd;
      });
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
  double pv = 0.0, vol = 0.0;
  for (long i = 0; i < k.len(); ++i) {
    const double typical = (high[i] + low[i] + close[i]) / 3;
    pv += typical * volume[i];
    vol += volume[i];
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
