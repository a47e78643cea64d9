// Each trader's own evaluation cost, in process, without the pool: the
// candle appends and the tick's bookkeeping of runtime_bench left out, so a
// change in one trader's code (or in what the host serves it) shows up.
//
//   trader_eval_bench --data FILE --trader T1=T1.so ... [--ticks 250] [--rounds 3]
//                     [--no-shared-go] [--no-lookahead] [--live-cadence]
//
// Each tick appends one candle to every (symbol, timeframe), as runtime_bench
// does, then evaluates every trader on every symbol; the time of each
// trader's calls is summed. Traders are evaluated in the order given, so a
// host-shared indicator is computed by the first trader that asks for it (its
// time includes the computation) and served to the others;
// --no-shared-go turns that off (every Go trader computes its own, as with a
// host that predates VYX_IND_GO_*), and --no-lookahead keeps the host from
// computing the chained ones (EMA, RSI, MACD) for the next symbols of the tick at
// once. --live-cadence appends a timeframe's candle only on the ticks where
// it closes live, taking the dataset's shortest timeframe as the tick (on
// 1m ticks a 5m candle every 5th, a 1h candle every 60th); without it every
// timeframe moves on every tick, as in the peers' benchmark. The best of
// `rounds` runs is printed.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "dataset_stream.hpp"
#include "evaluation/evaluator.hpp"
#include "evaluation/plugin_loader.hpp"
#include "vyx/runtime/market/timeframe.hpp"

namespace {

using namespace vyx::runtime;
using clock_type = std::chrono::steady_clock;

struct options {
  std::string data;
  std::vector<std::pair<std::string, std::string>> traders;
  std::size_t ticks = 250, rounds = 3;
  bool share_go = true, lookahead = true, live_cadence = false;
};

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    auto count = [&]() -> std::size_t {
      const std::string v = value();
      std::size_t n = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc() || end != v.data() + v.size() || n == 0)
        throw std::runtime_error(a + " wants a whole number of at least 1, not '" + v + "'");
      return n;
    };
    if (a == "--data") {
      o.data = value();
    } else if (a == "--trader") {
      const std::string v = value();
      const auto eq = v.find('=');
      if (eq == std::string::npos) throw std::runtime_error("--trader wants ID=PLUGIN.so");
      o.traders.emplace_back(v.substr(0, eq), v.substr(eq + 1));
    } else if (a == "--ticks") {
      o.ticks = count();
    } else if (a == "--rounds") {
      o.rounds = count();
    } else if (a == "--no-shared-go") {
      o.share_go = false;
    } else if (a == "--no-lookahead") {
      o.lookahead = false;
    } else if (a == "--live-cadence") {
      o.live_cadence = true;
    } else {
      throw std::runtime_error("unknown argument " + a +
                               " (usage: --data FILE --trader ID=SO ... [--ticks N] [--rounds N] "
                               "[--no-shared-go] [--no-lookahead] [--live-cadence])");
    }
  }
  if (o.data.empty() || o.traders.empty())
    throw std::runtime_error("--data and at least one --trader are required");
  return o;
}

// ns per evaluation of each trader over one run of `ticks` ticks.
// How many ticks (of the dataset's shortest timeframe) each timeframe's
// candle takes to close: all 1 unless `live`.
std::vector<std::size_t> ticks_per_candle(const vyx::bench::dataset_stream& d, bool live) {
  std::vector<std::size_t> every(d.timeframes(), 1);
  if (!live) return every;
  std::int64_t shortest = 0;
  for (std::size_t t = 0; t < d.timeframes(); ++t) {
    const std::int64_t ms = timeframe_ms(d.timeframe(t));
    if (ms > 0 && (shortest == 0 || ms < shortest)) shortest = ms;
  }
  for (std::size_t t = 0; t < d.timeframes(); ++t)
    if (shortest > 0)
      every[t] = static_cast<std::size_t>(
          std::max<std::int64_t>(1, timeframe_ms(d.timeframe(t)) / shortest));
  return every;
}

std::vector<double> run(const vyx::bench::dataset_stream& d,
                        const std::vector<const vyx_plugin*>& plugins, std::size_t ticks,
                        bool share_go, bool lookahead, bool live_cadence) {
  if (ticks >= d.bars()) throw std::runtime_error("--ticks must be below the dataset's bars");
  candle_store_layout layout;
  layout.symbols = d.names();
  layout.timeframes = d.timeframe_mask();
  layout.capacity = static_cast<std::uint32_t>(d.bars());
  auto store = candle_store::create(layout);
  const std::size_t preload = d.bars() - ticks;
  vyx::bench::append_bars(store, d, 0, preload);
  evaluator eval(store, plugins, 0);
  eval.share_go_indicators(share_go);
  std::vector<double> ns(plugins.size(), 0.0);
  const std::vector<std::size_t> every = ticks_per_candle(d, live_cadence);
  std::vector<candle> bar;
  for (std::size_t b = preload; b < d.bars(); ++b) {
    const std::size_t tick = b - preload;
    if (!live_cadence) {
      d.read_bar(b, bar);
      std::size_t i = 0;
      for (std::size_t s = 0; s < d.symbols(); ++s)
        for (std::size_t t = 0; t < d.timeframes(); ++t) store.append(s, d.timeframe(t), bar[i++]);
    } else {
      for (std::size_t t = 0; t < d.timeframes(); ++t) {
        if (tick % every[t] != 0) continue;
        for (std::size_t s = 0; s < d.symbols(); ++s) {
          d.read(s, t, preload + tick / every[t], 1, bar);
          store.append(s, d.timeframe(t), bar[0]);
        }
      }
    }
    for (std::size_t s = 0; s < d.symbols(); ++s) {
      eval.begin_symbol(s, d.close_time(b), lookahead ? d.symbols() : 0);
      for (std::uint32_t p = 0; p < plugins.size(); ++p) {
        const auto t0 = clock_type::now();
        const evaluation e = eval.evaluate(p);
        ns[p] += std::chrono::duration<double, std::nano>(clock_type::now() - t0).count();
        if (!benign_status(e.status)) throw std::runtime_error("a trader faulted");
      }
    }
  }
  for (double& x : ns) x /= static_cast<double>(ticks * d.symbols());
  return ns;
}

}  // namespace

int main(int argc, char** argv) try {
  const options o = parse(argc, argv);
  const vyx::bench::dataset_stream d(o.data);
  std::vector<loaded_plugin> loaded;
  std::vector<const vyx_plugin*> plugins;
  for (const auto& [id, path] : o.traders) {
    plugin_load_result r = plugin_loader::load(path);
    if (!r.ok) throw std::runtime_error(id + ": " + r.error);
    loaded.push_back(std::move(r.plugin));
    plugins.push_back(loaded.back().descriptor());
  }
  std::vector<double> best(plugins.size(), std::numeric_limits<double>::infinity());
  double best_total = std::numeric_limits<double>::infinity();
  for (std::size_t r = 0; r < o.rounds; ++r) {
    const std::vector<double> ns =
        run(d, plugins, o.ticks, o.share_go, o.lookahead, o.live_cadence);
    double total = 0;
    for (std::size_t p = 0; p < ns.size(); ++p) {
      best[p] = std::min(best[p], ns[p]);
      total += ns[p];
    }
    best_total = std::min(best_total, total);
  }
  std::printf(
      "trader_eval_bench: %zu symbols x %zu ticks, best of %zu rounds, ns per evaluation%s%s\n",
      d.symbols(), o.ticks, o.rounds, o.share_go ? "" : " (Go indicators not shared)",
      o.live_cadence ? " (live cadence)" : "");
  for (std::size_t p = 0; p < plugins.size(); ++p)
    std::printf("  %-8s %8.0f\n", o.traders[p].first.c_str(), best[p]);
  std::printf("  %-8s %8.0f  (all traders of one symbol, best round)\n", "sum", best_total);
  std::printf("command: ");
  for (int i = 0; i < argc; ++i) std::printf("%s%s", argv[i], i + 1 < argc ? " " : "\n");
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "trader_eval_bench: %s\n", e.what());
  return 2;
}
