// Indicator benchmark: ns per bar for every catalog indicator, in batch form
// and streaming (through the catalog's virtual stream), over 1000 series of
// 500 bars, next to two references measured in the same run: a plain sum over
// the closes (the floor) and TA-Lib's C function where there is one.
//
// Reproduce: cmake -S . -B build-rel -G Ninja -DCMAKE_BUILD_TYPE=Release && ninja -C build-rel indicators_bench
//            && build-rel/bench/indicators/indicators_bench [catalog ids...]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "vyx/indicators/catalog.hpp"

#ifdef VYX_HAVE_TALIB
#include <ta_libc.h>
#endif

namespace {

constexpr std::size_t series_count = 1000;
constexpr std::size_t bars = 500;
constexpr std::size_t group = 50;  // series per timed run: short runs dodge preemption
constexpr int repeats = 15;         // best of, per group

struct market {
  std::vector<std::int64_t> open_time;
  std::vector<double> open, high, low, close, volume, taker_buy;
  vyx::ta::columns series(std::size_t s) const {
    vyx::ta::columns c;
    const std::size_t o = s * bars;
    c.open = &open[o], c.high = &high[o], c.low = &low[o], c.close = &close[o], c.volume = &volume[o];
    c.open_time = &open_time[o], c.taker_buy_volume = &taker_buy[o], c.size = bars;
    return c;
  }
};

market make_market() {
  std::mt19937_64 rng(42);
  std::normal_distribution<double> step(0, 0.01);
  std::uniform_real_distribution<double> unit(0, 1);
  market m;
  const std::size_t n = series_count * bars;
  for (auto* v : {&m.open, &m.high, &m.low, &m.close, &m.volume, &m.taker_buy}) v->resize(n);
  m.open_time.resize(n);
  for (std::size_t s = 0; s < series_count; ++s) {
    double last = 100 * std::exp(step(rng) * 50);
    for (std::size_t i = 0; i < bars; ++i) {
      const std::size_t k = s * bars + i;
      const double close = last * std::exp(step(rng));
      m.open[k] = last, m.close[k] = close;
      m.high[k] = std::max(last, close) * (1 + 0.004 * unit(rng));
      m.low[k] = std::min(last, close) * (1 - 0.004 * unit(rng));
      m.volume[k] = 1000 * unit(rng), m.taker_buy[k] = m.volume[k] * unit(rng);
      m.open_time[k] = 1'700'000'000'000 + static_cast<std::int64_t>(i) * 900'000;
      last = close;
    }
  }
  return m;
}

double volatile sink;

// ns per bar of `body(first, last)` over the whole market: the series are
// timed in groups, each group's best of `repeats` runs, summed. On a shared
// machine a short run is rarely preempted, so the best run is the clean one.
double ns_per_bar(const std::function<void(std::size_t, std::size_t)>& body) {
  double total = 0;
  for (std::size_t first = 0; first < series_count; first += group) {
    const std::size_t last = std::min(series_count, first + group);
    double best = 1e300;
    for (int r = 0; r < repeats; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      body(first, last);
      const auto t1 = std::chrono::steady_clock::now();
      best = std::min(best, std::chrono::duration<double, std::nano>(t1 - t0).count());
    }
    total += best;
  }
  return total / static_cast<double>(series_count * bars);
}

#ifdef VYX_HAVE_TALIB
// One TA-Lib call per catalog id, with the catalog's default options.
using talib_call = std::function<void(const vyx::ta::columns&, double* const*)>;

std::map<std::string, talib_call> talib_calls() {
  static int b, n;  // TA-Lib's begin index and count, unused here
  std::map<std::string, talib_call> m;
  const int e = bars - 1;
  m["sma"] = [](auto& c, auto o) { TA_SMA(0, e, c.close, 30, &b, &n, o[0]); };
  m["ema"] = [](auto& c, auto o) { TA_EMA(0, e, c.close, 30, &b, &n, o[0]); };
  m["wma"] = [](auto& c, auto o) { TA_WMA(0, e, c.close, 30, &b, &n, o[0]); };
  m["dema"] = [](auto& c, auto o) { TA_DEMA(0, e, c.close, 30, &b, &n, o[0]); };
  m["tema"] = [](auto& c, auto o) { TA_TEMA(0, e, c.close, 30, &b, &n, o[0]); };
  m["kama"] = [](auto& c, auto o) { TA_KAMA(0, e, c.close, 30, &b, &n, o[0]); };
  m["rsi"] = [](auto& c, auto o) { TA_RSI(0, e, c.close, 14, &b, &n, o[0]); };
  m["macd"] = [](auto& c, auto o) { TA_MACD(0, e, c.close, 12, 26, 9, &b, &n, o[0], o[1], o[2]); };
  m["bbands"] = [](auto& c, auto o) { TA_BBANDS(0, e, c.close, 20, 2, 2, TA_MAType_SMA, &b, &n, o[0], o[1], o[2]); };
  m["stoch"] = [](auto& c, auto o) {
    TA_STOCH(0, e, c.high, c.low, c.close, 14, 3, TA_MAType_SMA, 3, TA_MAType_SMA, &b, &n, o[0], o[1]);
  };
  m["stochrsi"] = [](auto& c, auto o) { TA_STOCHRSI(0, e, c.close, 14, 14, 3, TA_MAType_SMA, &b, &n, o[0], o[1]); };
  m["atr"] = [](auto& c, auto o) { TA_ATR(0, e, c.high, c.low, c.close, 14, &b, &n, o[0]); };
  m["natr"] = [](auto& c, auto o) { TA_NATR(0, e, c.high, c.low, c.close, 14, &b, &n, o[0]); };
  m["trange"] = [](auto& c, auto o) { TA_TRANGE(0, e, c.high, c.low, c.close, &b, &n, o[0]); };
  m["adx"] = [](auto& c, auto o) { TA_ADX(0, e, c.high, c.low, c.close, 14, &b, &n, o[0]); };
  m["plus_di"] = [](auto& c, auto o) { TA_PLUS_DI(0, e, c.high, c.low, c.close, 14, &b, &n, o[0]); };
  m["minus_di"] = [](auto& c, auto o) { TA_MINUS_DI(0, e, c.high, c.low, c.close, 14, &b, &n, o[0]); };
  m["cci"] = [](auto& c, auto o) { TA_CCI(0, e, c.high, c.low, c.close, 20, &b, &n, o[0]); };
  m["mfi"] = [](auto& c, auto o) { TA_MFI(0, e, c.high, c.low, c.close, c.volume, 14, &b, &n, o[0]); };
  m["obv"] = [](auto& c, auto o) { TA_OBV(0, e, c.close, c.volume, &b, &n, o[0]); };
  m["willr"] = [](auto& c, auto o) { TA_WILLR(0, e, c.high, c.low, c.close, 14, &b, &n, o[0]); };
  m["roc"] = [](auto& c, auto o) { TA_ROC(0, e, c.close, 10, &b, &n, o[0]); };
  m["mom"] = [](auto& c, auto o) { TA_MOM(0, e, c.close, 10, &b, &n, o[0]); };
  m["sar"] = [](auto& c, auto o) { TA_SAR(0, e, c.high, c.low, 0.02, 0.2, &b, &n, o[0]); };
  m["aroon"] = [](auto& c, auto o) { TA_AROON(0, e, c.high, c.low, 14, &b, &n, o[0], o[1]); };
  // Not TA-Lib functions, but the same computation exists there.
  m["avg_volume"] = [](auto& c, auto o) { TA_SMA(0, e, c.volume, 20, &b, &n, o[0]); };
  m["highest"] = [](auto& c, auto o) { TA_MAX(0, e, c.high, 20, &b, &n, o[0]); };
  m["lowest"] = [](auto& c, auto o) { TA_MIN(0, e, c.low, 20, &b, &n, o[0]); };
  return m;
}
#endif

}  // namespace

int main(int argc, char** argv) {
  // Optional arguments: only these catalog ids.
  const std::vector<std::string> only(argv + 1, argv + argc);
  const market m = make_market();
  std::vector<std::vector<double>> out(4, std::vector<double>(bars));
  double* outs[4] = {out[0].data(), out[1].data(), out[2].data(), out[3].data()};

  const double floor = ns_per_bar([&](std::size_t first, std::size_t last) {
    double total = 0;
    for (std::size_t s = first; s < last; ++s) {
      const double* x = m.series(s).close;
      for (std::size_t i = 0; i < bars; ++i) total += x[i];
    }
    sink = total;
  });

#ifdef VYX_HAVE_TALIB
  TA_Initialize();
  const auto talib = talib_calls();
  std::printf("TA-Lib C: linked (bundled sources of npm talib 1.1.6)\n");
#else
  std::printf("TA-Lib C: ABSENT (no sources in bench/talib/node_modules; run `npm ci --ignore-scripts` there)\n");
#endif
  std::printf("command: cmake -S . -B build-rel -G Ninja -DCMAKE_BUILD_TYPE=Release && ninja -C build-rel indicators_bench"
              " && build-rel/bench/indicators/indicators_bench%s\n", argc > 1 ? " [ids...]" : "");
  std::printf("%zu series x %zu bars, timed in groups of %zu series, best of %d per group; default options; ns per bar\n",
              series_count, bars, group, repeats);
  std::printf("floor (sum of closes): %.2f ns/bar\n\n", floor);
  std::printf("| indicator | batch | stream | TA-Lib | batch/TA-Lib |\n|---|---:|---:|---:|---:|\n");

  for (const vyx::ta::indicator_info& info : vyx::ta::catalog()) {
    if (!only.empty() && std::find(only.begin(), only.end(), info.id) == only.end()) continue;
    std::vector<double> options(info.options.size());
    vyx::ta::default_options(info, options.data());
    const double batch = ns_per_bar([&](std::size_t first, std::size_t last) {
      for (std::size_t s = first; s < last; ++s) info.batch(m.series(s), options.data(), outs);
      sink = out[0][bars - 1];
    });
    std::vector<std::unique_ptr<vyx::ta::stream>> streams;
    for (std::size_t s = 0; s < series_count; ++s) streams.push_back(info.make_stream(options.data()));
    const double stream = ns_per_bar([&](std::size_t first, std::size_t last) {
      double value[4];
      for (std::size_t s = first; s < last; ++s) {
        const vyx::ta::columns c = m.series(s);
        vyx::ta::stream& st = *streams[s];
        vyx::ta::bar b;
        for (std::size_t i = 0; i < bars; ++i) {
          b.open = c.open[i], b.high = c.high[i], b.low = c.low[i], b.close = c.close[i], b.volume = c.volume[i];
          b.open_time = c.open_time[i], b.taker_buy_volume = c.taker_buy_volume[i];
          st.update(b, value);
        }
        sink = value[0];
      }
    });
    std::string talib_cell = "-", ratio_cell = "-";
#ifdef VYX_HAVE_TALIB
    if (auto it = talib.find(info.id); it != talib.end()) {
      const double t = ns_per_bar([&](std::size_t first, std::size_t last) {
        for (std::size_t s = first; s < last; ++s) it->second(m.series(s), outs);
        sink = out[0][0];
      });
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.2f", t);
      talib_cell = buf;
      std::snprintf(buf, sizeof buf, "%.2f", batch / t);
      ratio_cell = buf;
    }
#endif
    std::printf("| %s | %.2f | %.2f | %s | %s |\n", info.id, batch, stream, talib_cell.c_str(), ratio_cell.c_str());
  }
  std::printf("\nstream: update() through the catalog's virtual stream (states made before timing; later repeats continue them).\n");
  return 0;
}
