// Indicator benchmark: ns per bar for every catalog indicator, in batch form
// and streaming (through the catalog's virtual stream), over 1000 series of
// 500 bars, next to two references measured in the same run: a plain sum over
// the closes (the floor) and TA-Lib's C function where there is one.
//
// Reproduce (fetches TA-Lib's sources, builds Release, runs):
//   bench/indicators/run.sh [--rounds N] [catalog ids...]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
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
constexpr int repeats = 15;        // best of, per group

struct market {
  std::vector<std::int64_t> open_time;
  std::vector<double> open, high, low, close, volume, taker_buy;
  vyx::ta::columns series(std::size_t s) const {
    vyx::ta::columns c;
    const std::size_t o = s * bars;
    c.open = &open[o], c.high = &high[o], c.low = &low[o], c.close = &close[o],
    c.volume = &volume[o];
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

using clock_type = std::chrono::steady_clock;

// A body timed over the series [first, last); `prepare` runs untimed before
// each run (streams reset there, so every run feeds each series from bar 0).
struct contender {
  std::function<void(std::size_t, std::size_t)> body;
  std::function<void(std::size_t, std::size_t)> prepare;
  double best_sum = 0;  // sum over groups of each group's best run, ns
};

// Times the contenders interleaved: for each group of series, run r of every
// contender follows run r of the others (in a rotating order), and each
// contender keeps its best run of the group. The contenders of one row thus
// see the same machine load, caches and clock speed, and a preempted run only
// costs its own repetition; ratios between them are what stay meaningful on
// a loaded machine. Returns ns per bar for each.
std::vector<double> time_interleaved(std::vector<contender>& cs) {
  for (std::size_t first = 0; first < series_count; first += group) {
    const std::size_t last = std::min(series_count, first + group);
    std::vector<double> best(cs.size(), 1e300);
    for (int r = 0; r < repeats; ++r) {
      for (std::size_t k = 0; k < cs.size(); ++k) {
        contender& c = cs[(k + static_cast<std::size_t>(r)) % cs.size()];
        if (c.prepare) c.prepare(first, last);
        const auto t0 = clock_type::now();
        c.body(first, last);
        const auto t1 = clock_type::now();
        double& b = best[(k + static_cast<std::size_t>(r)) % cs.size()];
        b = std::min(b, std::chrono::duration<double, std::nano>(t1 - t0).count());
      }
    }
    for (std::size_t k = 0; k < cs.size(); ++k) cs[k].best_sum += best[k];
  }
  std::vector<double> ns;
  for (const contender& c : cs) ns.push_back(c.best_sum / static_cast<double>(series_count * bars));
  return ns;
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
  m["bbands"] = [](auto& c, auto o) {
    TA_BBANDS(0, e, c.close, 20, 2, 2, TA_MAType_SMA, &b, &n, o[0], o[1], o[2]);
  };
  m["stoch"] = [](auto& c, auto o) {
    TA_STOCH(0, e, c.high, c.low, c.close, 14, 3, TA_MAType_SMA, 3, TA_MAType_SMA, &b, &n, o[0],
             o[1]);
  };
  m["stochrsi"] = [](auto& c, auto o) {
    TA_STOCHRSI(0, e, c.close, 14, 14, 3, TA_MAType_SMA, &b, &n, o[0], o[1]);
  };
  m["atr"] = [](auto& c, auto o) { TA_ATR(0, e, c.high, c.low, c.close, 14, &b, &n, o[0]); };
  m["natr"] = [](auto& c, auto o) { TA_NATR(0, e, c.high, c.low, c.close, 14, &b, &n, o[0]); };
  m["trange"] = [](auto& c, auto o) { TA_TRANGE(0, e, c.high, c.low, c.close, &b, &n, o[0]); };
  m["adx"] = [](auto& c, auto o) { TA_ADX(0, e, c.high, c.low, c.close, 14, &b, &n, o[0]); };
  m["plus_di"] = [](auto& c, auto o) {
    TA_PLUS_DI(0, e, c.high, c.low, c.close, 14, &b, &n, o[0]);
  };
  m["minus_di"] = [](auto& c, auto o) {
    TA_MINUS_DI(0, e, c.high, c.low, c.close, 14, &b, &n, o[0]);
  };
  m["cci"] = [](auto& c, auto o) { TA_CCI(0, e, c.high, c.low, c.close, 20, &b, &n, o[0]); };
  m["mfi"] = [](auto& c, auto o) {
    TA_MFI(0, e, c.high, c.low, c.close, c.volume, 14, &b, &n, o[0]);
  };
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

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string cell(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  // Arguments: [--rounds N] [catalog ids...] (no ids: every indicator).
  int rounds = 5;
  std::vector<std::string> only;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--rounds" && i + 1 < argc) {
      rounds = std::max(1, std::atoi(argv[++i]));
    } else if (a == "-h" || a == "--help") {
      std::printf("usage: indicators_bench [--rounds N] [catalog ids...]\n");
      return 0;
    } else {
      only.push_back(a);
    }
  }
  const market m = make_market();
  std::vector<std::vector<double>> out(4, std::vector<double>(bars));
  double* outs[4] = {out[0].data(), out[1].data(), out[2].data(), out[3].data()};

#ifdef VYX_HAVE_TALIB
  TA_Initialize();
  const auto talib = talib_calls();
  std::printf("TA-Lib C: linked (bundled sources of npm talib 1.1.6)\n");
#else
  std::printf(
      "TA-Lib C: ABSENT (no sources in bench/talib/node_modules; run bench/indicators/run.sh, "
      "or `npm ci --ignore-scripts` in bench/talib)\n");
#endif
  std::string command = "bench/indicators/run.sh";
  for (int i = 1; i < argc; ++i) command += std::string(" ") + argv[i];
  std::printf("command: %s\n", command.c_str());
  std::printf(
      "%zu series x %zu bars, default options, ns per bar. Batch, stream and TA-Lib of a row are "
      "timed interleaved, in groups of %zu series, best of %d runs per group; each figure is the "
      "median of %d rounds.\n",
      series_count, bars, group, repeats, rounds);

  const auto sum_closes = [&](std::size_t first, std::size_t last) {
    double total = 0;
    for (std::size_t s = first; s < last; ++s) {
      const double* x = m.series(s).close;
      for (std::size_t i = 0; i < bars; ++i) total += x[i];
    }
    sink = total;
  };
  std::vector<double> floors;
  for (int r = 0; r < rounds; ++r) {
    std::vector<contender> cs{{sum_closes, {}}};
    floors.push_back(time_interleaved(cs)[0]);
  }
  std::printf("floor (sum of closes): %.2f ns/bar\n\n", median(floors));
  std::printf(
      "| indicator | batch | stream | TA-Lib | batch/TA-Lib |\n|---|---:|---:|---:|---:|\n");

  int above = 0;
  for (const vyx::ta::indicator_info& info : vyx::ta::catalog()) {
    if (!only.empty() && std::find(only.begin(), only.end(), info.id) == only.end()) continue;
    std::vector<double> options(info.options.size());
    vyx::ta::default_options(info, options.data());
    std::vector<std::unique_ptr<vyx::ta::stream>> streams;
    for (std::size_t s = 0; s < series_count; ++s)
      streams.push_back(info.make_stream(options.data()));

    std::vector<contender> cs;
    cs.push_back({[&](std::size_t first, std::size_t last) {
                    for (std::size_t s = first; s < last; ++s)
                      info.batch(m.series(s), options.data(), outs);
                    sink = out[0][bars - 1];
                  },
                  {}});
    cs.push_back({[&](std::size_t first, std::size_t last) {
                    double value[4];
                    for (std::size_t s = first; s < last; ++s) {
                      const vyx::ta::columns c = m.series(s);
                      vyx::ta::stream& st = *streams[s];
                      vyx::ta::bar b;
                      for (std::size_t i = 0; i < bars; ++i) {
                        b.open = c.open[i], b.high = c.high[i], b.low = c.low[i];
                        b.close = c.close[i], b.volume = c.volume[i];
                        b.open_time = c.open_time[i], b.taker_buy_volume = c.taker_buy_volume[i];
                        st.update(b, value);
                      }
                      sink = value[0];
                    }
                  },
                  [&](std::size_t first, std::size_t last) {
                    for (std::size_t s = first; s < last; ++s) streams[s]->reset();
                  }});
#ifdef VYX_HAVE_TALIB
    if (auto it = talib.find(info.id); it != talib.end()) {
      const talib_call& call = it->second;
      cs.push_back({[&](std::size_t first, std::size_t last) {
                      for (std::size_t s = first; s < last; ++s) call(m.series(s), outs);
                      sink = out[0][bars - 1];
                    },
                    {}});
    }
#endif
    std::vector<std::vector<double>> per(cs.size());
    std::vector<double> ratios;
    for (int r = 0; r < rounds; ++r) {
      for (contender& c : cs) c.best_sum = 0;
      const std::vector<double> ns = time_interleaved(cs);
      for (std::size_t k = 0; k < ns.size(); ++k) per[k].push_back(ns[k]);
      if (ns.size() == 3) ratios.push_back(ns[0] / ns[2]);
    }
    std::string talib_cell = "-", ratio_cell = "-";
    if (cs.size() == 3) {
      const double ratio = median(ratios);
      talib_cell = cell(median(per[2]));
      ratio_cell = cell(ratio);
      if (ratio > 1.0) ++above, ratio_cell += " (above)";
    }
    std::printf("| %s | %s | %s | %s | %s |\n", info.id, cell(median(per[0])).c_str(),
                cell(median(per[1])).c_str(), talib_cell.c_str(), ratio_cell.c_str());
    std::fflush(stdout);
  }
  std::printf(
      "\nbatch: info.batch through the catalog (option checks included). stream: update() through "
      "the "
      "catalog's virtual stream, bar copy included, each run from a reset state. batch/TA-Lib: "
      "median over rounds of the round's ratio. Rows above 1.0: %d.\n",
      above);
  return 0;
}
