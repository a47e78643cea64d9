// The platform's 16 indicator helpers for translated Go traders
// (vyx/sdk/go/indicators.hpp says what they are and how they differ from
// vyx::ta). Compiled once, with the plugins' flags, into the plugin archive
// (compiler/CMakeLists.txt) that every trader links, as the indicator library
// is: inline in the header, every Go trader's compile instantiated and
// optimised them again, most of a Go trader's codegen (BENCHMARKS.md, "Cold
// compile of a Go trader").
#include "vyx/sdk/go/indicators.hpp"

#include "vyx/sdk/go/indicator_kernels.hpp"

namespace vyx::go::indicators {
namespace {

// Asks the host for a VYX_IND_GO_* id over the window `k` (which must be
// an unwritten view ending with the market's newest closed candle of its
// timeframe: slice::newest_window()); on true, served[0..outputs) hold
// k.len() values each, the host's, valid for this call. Anything else, an
// older host included, and the caller computes the same kernel itself.
bool served_by_host(const Klines& k, vyx_indicator_id id, const double* params,
                    unsigned param_count, unsigned outputs, const double** served) {
  const vyx_market* m = sdk_detail::state.market;
  const vyx_candles* columns = k.newest_window();
  if (m == nullptr || columns == nullptr || m->host == nullptr) return false;
  const vyx_host_api* host = m->host;
  if (host->struct_size < sizeof(vyx_host_api) || host->indicator == nullptr) return false;
  vyx_indicator_request request{};
  request.struct_size = sizeof(vyx_indicator_request);
  request.timeframe = VYX_TIMEFRAME_COUNT;
  for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf)
    if (m->timeframes[tf] == columns) request.timeframe = tf;
  if (request.timeframe == VYX_TIMEFRAME_COUNT) return false;
  request.indicator = id;
  request.param_count = param_count;
  for (unsigned i = 0; i < param_count; ++i) request.params[i] = params[i];
  request.window_count = static_cast<uint64_t>(k.len());
  request.window_last_open_time = columns->open_time[columns->count - 1];
  vyx_indicator_result result{};
  result.struct_size = sizeof(vyx_indicator_result);
  if (host->indicator(m->host_context, &request, &result) != VYX_OK) return false;
  if (result.output_count < outputs || result.length != static_cast<uint64_t>(k.len()))
    return false;
  for (unsigned i = 0; i < outputs; ++i) {
    if (result.outputs[i] == nullptr) return false;
    served[i] = result.outputs[i];
  }
  return true;
}

// The host's array of n values as the trader's slice: in place when the
// function cannot write to it (sdk_detail::go_borrow_served_windows; the
// slice is full, so append copies it, and the array lives until the call
// returns, as long as the function runs), else a fresh copy that the trader
// owns and may write to.
// (Not make_slice: its zero-fill would be overwritten at once; a served
// window is never empty, newest_window() refuses an empty slice.)
slice<double> served_slice(const double* values, long n) {
  if (sdk_detail::state.borrow_served_windows)
    return slice<double>(const_cast<double*>(values), n, n);
  slice<double> out(new double[n], n, n);
  __builtin_memcpy(out.data(), values, sizeof(double) * static_cast<unsigned long>(n));
  return out;
}

// A one-output series over the window: the host's when it serves it, else
// the kernel's; all zeros (the platform's) without enough candles.
template <void (*Kernel)(const double*, long, long, double*)>
slice<double> window_series(const Klines& k, vyx_indicator_id id, long period) {
  if (period <= 0 || k.len() < period) return make_slice<double>(k.len(), k.len());
  const double params[] = {static_cast<double>(period)};
  const double* served;
  if (served_by_host(k, id, params, 1, 1, &served)) return served_slice(served, k.len());
  slice<double> out = make_slice<double>(k.len(), k.len());
  Kernel(k.field(kline_field::close), k.len(), period, out.data());
  return out;
}

// Three series over the window (a Result of three slices, in the kernel's
// output order): the host's when it serves them, else `compute` fills fresh
// ones.
template <class Result, class Compute>
ptr<Result> three_series(const Klines& k, vyx_indicator_id id, const double* params,
                         unsigned param_count, Compute compute) {
  const long n = k.len();
  const double* served[3];
  if (served_by_host(k, id, params, param_count, 3, served))
    return new_value(
        Result{served_slice(served[0], n), served_slice(served[1], n), served_slice(served[2], n)});
  slice<double> first = make_slice<double>(n, n);
  slice<double> second = make_slice<double>(n, n);
  slice<double> third = make_slice<double>(n, n);
  compute(first.data(), second.data(), third.data());
  return new_value(Result{first, second, third});
}

// The mean of a field's newest `period` values, summed oldest to newest (the
// platform's CalculateMA and CalculateAvgVolume); nil without that many.
ptr<double> newest_mean(const Klines& k, kline_field field, long period) {
  if (period <= 0 || k.len() < period) return nil;
  const double* values = k.field(field);
  double sum = 0.0;
  for (long i = k.len() - period; i < k.len(); ++i) sum += values[i];
  return new_value(sum / static_cast<double>(period));
}

}  // namespace

ptr<double> CalculateMA(const Klines& k, long period) {
  return newest_mean(k, kline_field::close, period);
}

slice<double> CalculateMASeries(const Klines& k, long period) {
  return window_series<kernels::ma_series<>>(k, VYX_IND_GO_MA_SERIES, period);
}

slice<double> CalculateEMASeries(const Klines& k, long period) {
  return window_series<kernels::ema_series>(k, VYX_IND_GO_EMA_SERIES, period);
}

// The last value of the EMA series: the same steps in the same order.
ptr<double> CalculateEMA(const Klines& k, long period) {
  if (period <= 0 || k.len() < period) return nil;
  const double params[] = {static_cast<double>(period)};
  const double* served;
  if (served_by_host(k, VYX_IND_GO_EMA_SERIES, params, 1, 1, &served))
    return new_value(served[k.len() - 1]);
  const double* close = k.field(kline_field::close);
  const double alpha = 2.0 / static_cast<double>(period + 1);
  double ema = close[0];
  for (long i = 1; i < k.len(); ++i) ema = kernels::ema_step(ema, close[i], alpha);
  return new_value(ema);
}

ptr<RSIResult> CalculateRSI(const Klines& k, long period) {
  if (period <= 0 || k.len() < period + 1) return nil;
  const double params[] = {static_cast<double>(period)};
  const double* served;
  if (served_by_host(k, VYX_IND_GO_RSI, params, 1, 1, &served))
    return new_value(RSIResult{served_slice(served, k.len())});
  slice<double> values = make_slice<double>(k.len(), k.len());
  kernels::rsi_series(k.field(kline_field::close), k.len(), period, values.data());
  return new_value(RSIResult{values});
}

// The platform's answer is the newest non-zero value of CalculateRSI's series
// (the values before `period` are zeros). Served by the host, that is a look
// at the series' end; computed here, only the averages are walked (the newest
// value almost always is non-zero), and only when it is zero a second walk
// looks for the newest non-zero value.
ptr<double> GetLatestRSI(const Klines& k, long period) {
  if (period <= 0 || k.len() < period + 1) return nil;
  const double params[] = {static_cast<double>(period)};
  const double* served;
  if (served_by_host(k, VYX_IND_GO_RSI, params, 1, 1, &served)) {
    for (long i = k.len() - 1; i >= 0; --i)
      if (served[i] != 0) return new_value(served[i]);
    return nil;
  }
  kernels::window_pair newest{};
  kernels::rsi_averages(k.field(kline_field::close), k.len(), period,
                        [&](long, kernels::window_pair averages) { newest = averages; });
  double latest = kernels::rsi_value(newest[0], newest[1]);
  if (latest == 0) {
    kernels::rsi_averages(k.field(kline_field::close), k.len(), period,
                          [&](long, kernels::window_pair averages) {
                            const double v = kernels::rsi_value(averages[0], averages[1]);
                            if (v != 0) latest = v;
                          });
  }
  if (latest == 0) return nil;
  return new_value(latest);
}

ptr<MACDResult> CalculateMACD(const Klines& k, long fast_period, long slow_period,
                              long signal_period) {
  if (k.len() < slow_period || fast_period <= 0 || slow_period <= 0 || signal_period <= 0)
    return nil;
  const double params[] = {static_cast<double>(fast_period), static_cast<double>(slow_period),
                           static_cast<double>(signal_period)};
  return three_series<MACDResult>(
      k, VYX_IND_GO_MACD, params, 3, [&](double* macd, double* signal, double* histogram) {
        kernels::macd(k.field(kline_field::close), k.len(), fast_period, slow_period, signal_period,
                      macd, signal, histogram);
      });
}

ptr<LatestMACD> GetLatestMACD(const Klines& k, long fast, long slow, long signal) {
  const ptr<MACDResult> r = CalculateMACD(k, fast, slow, signal);
  if (r == nil) return nil;
  const long last = r->MACD.len() - 1;
  return new_value(LatestMACD{r->MACD[last], r->Signal[last], r->Histogram[last]});
}

ptr<BollingerBandsResult> CalculateBollingerBands(const Klines& k, long period, double mult) {
  if (period <= 0 || k.len() < period) return nil;
  const double params[] = {static_cast<double>(period), mult};
  return three_series<BollingerBandsResult>(
      k, VYX_IND_GO_BBANDS, params, 2, [&](double* upper, double* middle, double* lower) {
        kernels::bollinger(k.field(kline_field::close), k.len(), period, mult, upper, middle,
                           lower);
      });
}

ptr<LatestBands> GetLatestBollingerBands(const Klines& k, long period, double mult) {
  const ptr<BollingerBandsResult> r = CalculateBollingerBands(k, period, mult);
  if (r == nil) return nil;
  const long last = r->Middle.len() - 1;
  return new_value(LatestBands{r->Upper[last], r->Middle[last], r->Lower[last]});
}

ptr<double> GetHighestHigh(const Klines& k, long period) {
  if (period <= 0 || k.len() < period) return nil;
  const double* high = k.field(kline_field::high);
  double h = high[k.len() - period];
  for (long i = k.len() - period + 1; i < k.len(); ++i)
    if (high[i] > h) h = high[i];
  return new_value(h);
}

ptr<double> GetLowestLow(const Klines& k, long period) {
  if (period <= 0 || k.len() < period) return nil;
  const double* low = k.field(kline_field::low);
  double l = low[k.len() - period];
  for (long i = k.len() - period + 1; i < k.len(); ++i)
    if (low[i] < l) l = low[i];
  return new_value(l);
}

ptr<StochasticResult> CalculateStochastic(const Klines& k, long k_period, long) {
  if (k_period <= 0 || k.len() < k_period) return nil;
  const double* close = k.field(kline_field::close);
  const double hh = *GetHighestHigh(k, k_period);
  const double ll = *GetLowestLow(k, k_period);
  const double last = close[k.len() - 1];
  double v = 50.0;
  if (hh > ll) v = (last - ll) / (hh - ll) * 100;
  return new_value(StochasticResult{v, v * 0.9});
}

ptr<double> CalculateAvgVolume(const Klines& k, long period) {
  return newest_mean(k, kline_field::volume, period);
}

double CalculateVWAP(const Klines& k) {
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
      const kernels::window_pair typical =
          (kernels::load_pair(high + at) + kernels::load_pair(low + at) +
           kernels::load_pair(close + at)) /
          3;
      kernels::store_pair(products + i, typical * kernels::load_pair(volume + at));
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

string DetectEngulfingPattern(const Klines& k) {
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
