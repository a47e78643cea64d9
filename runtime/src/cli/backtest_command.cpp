// `vyx backtest`: the same plugins and scheduler over recorded candles, as
// fast as possible; signals on stdout, a summary, and an HTML chart.
#include <boost/program_options.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <set>

#include "commands.hpp"
#include "trader_sources.hpp"
#include "vyx/runtime/backtest/html_chart.hpp"
#include "vyx/runtime/sinks/jsonl_sink.hpp"
#include "vyx/runtime/feeds/replay_feed.hpp"
#include "vyx/runtime/screening/scheduler.hpp"
#include "vyx/runtime/sinks/sqlite_sink.hpp"
#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace vyx::runtime;

namespace {

std::vector<candle> candles_of(const candle_store& store, std::size_t symbol, vyx_timeframe tf) {
  vyx_candles v = store.view(symbol, tf);
  std::vector<candle> out(v.count);
  for (std::size_t i = 0; i < v.count; ++i)
    out[i] = candle{v.open_time[i], v.close_time[i],   v.open[i],
                    v.high[i],      v.low[i],          v.close[i],
                    v.volume[i],    v.quote_volume[i], v.taker_buy_base_volume[i],
                    v.trades[i]};
  return out;
}

void write_summary(std::ostream& out, const std::map<std::string, trader_totals>& totals,
                   const std::vector<trader_status>& statuses, std::uint64_t ticks, double seconds,
                   const feed_stats& feed) {
  out << "backtest: " << ticks << " ticks, " << feed.candles << " candles in " << std::fixed
      << std::setprecision(2) << seconds << " s; dropped rows: " << feed.malformed << " malformed, "
      << feed.out_of_order << " out of order, " << feed.duplicate << " duplicate\n";
  out << std::left << std::setw(24) << "trader" << std::right << std::setw(10) << "signals"
      << std::setw(13) << "evaluations" << std::setw(8) << "faults" << std::setw(11) << "time ms"
      << "  status\n";
  for (const auto& st : statuses) {
    auto it = totals.find(st.id);
    trader_totals t = it == totals.end() ? trader_totals{} : it->second;
    std::string state = !st.loaded       ? "not loaded: " + st.reason
                        : st.quarantined ? "quarantined: " + st.reason
                        : st.enabled     ? "ok"
                                         : "disabled";
    out << std::left << std::setw(24) << st.id << std::right << std::setw(10) << t.signals
        << std::setw(13) << st.evaluations << std::setw(8) << st.faults << std::setw(11)
        << std::setprecision(1) << std::chrono::duration<double, std::milli>(t.time).count() << "  "
        << state << '\n';
  }
}

}  // namespace

int backtest_command(const std::vector<std::string>& args) {
  po::options_description options(
      "vyx backtest --trader T [--trader T2 ...] --data PATH [options]");
  std::vector<std::string> traders;
  std::string data, from, to, chart, summary_path, signals_path, db;
  unsigned workers = 0, chart_symbols = 6, deadline_ms = 250;
  std::uint32_t capacity = 0;
  options.add_options()("help,h", "this help")(
      "trader,t", po::value(&traders)->composing(),
      "a trader: a built plugin (.so) or source (.cpp) compiled first; named by its file stem "
      "(repeatable)")("data,d", po::value(&data),
                      "candles: DATA/<SYMBOL>/<tf>.csv|.json, or one fixture .json file")(
      "from", po::value(&from), "start (UTC): 2024-03-01, 2024-03-01T12:00 or Unix ms")(
      "to", po::value(&to), "end (UTC), same forms")(
      "chart", po::value(&chart),
      "write an HTML chart (candles, series, signal markers) to this file")(
      "chart-symbols", po::value(&chart_symbols)->default_value(6),
      "symbols charted per trader (most signals first)")(
      "signals", po::value(&signals_path), "write the JSON lines to this file instead of stdout")(
      "summary", po::value(&summary_path),
      "write the per-trader summary to this file instead of stderr")(
      "db", po::value(&db), "also write signals and trader statuses to this SQLite database")(
      "capacity", po::value(&capacity),
      "closed candles kept per symbol and timeframe "
      "(default: the longest history a source trader declares, at least 500)")(
      "workers", po::value(&workers)->default_value(0),
      "worker processes (0 = the machine's CPUs)")(
      "deadline-ms", po::value(&deadline_ms)->default_value(250), "per-evaluation deadline");
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << options << "\nSignals are JSON lines on stdout; the summary goes to stderr.\n";
    return 0;
  }
  if (traders.empty() || data.empty()) {
    std::cerr << "vyx backtest: --trader and --data are required\n\n" << options;
    return 2;
  }
  replay_options replay;
  if (!from.empty() && !(replay.from_ms = parse_time(from)))
    throw std::runtime_error("bad --from '" + from + "'");
  if (!to.empty() && !(replay.to_ms = parse_time(to)))
    throw std::runtime_error("bad --to '" + to + "'");
  if (replay.from_ms && replay.to_ms && *replay.from_ms > *replay.to_ms)
    throw std::runtime_error("--from " + from + " is after --to " + to);

  trader_sources sources;
  std::vector<trader_spec> specs;
  std::set<std::string> ids;
  for (const auto& t : traders) {
    std::string error;
    auto spec = sources.resolve(t, error);
    if (!spec) {
      // The others still run; this one shows in the summary as not loaded,
      // and the exit status says so.
      std::cerr << "vyx backtest: " << error << '\n';
      spec = trader_spec{fs::path(t).stem().string(), {}, true, error};
    }
    if (!ids.insert(spec->id).second)
      throw std::runtime_error("two traders named '" + spec->id + "'");
    specs.push_back(*spec);
  }

  if (capacity == 0) capacity = std::max<std::uint32_t>(500, sources.max_history_bars());
  replay_feed feed(data, replay);
  auto store = make_store_for(feed, capacity);
  worker_pool_options pool_options;
  pool_options.max_workers = workers;
  pool_options.deadline = std::chrono::milliseconds(deadline_ms);
  worker_pool pool(store, pool_options);
  scheduler sched(feed, store, pool);
  sched.request_reload(specs);

  std::unique_ptr<jsonl_sink> out = signals_path.empty()
                                        ? std::make_unique<jsonl_sink>(std::cout)
                                        : std::make_unique<jsonl_sink>(fs::path(signals_path));
  std::unique_ptr<sqlite_sink> database = db.empty() ? nullptr : std::make_unique<sqlite_sink>(db);
  std::vector<trader_signal> all;
  auto started = std::chrono::steady_clock::now();
  bool load_reported = false;
  sched.run([&](const tick_report& tick) {
    if (!load_reported) {
      load_reported = true;
      if (auto load = sched.last_load())
        for (const auto& [id, reason] : load->failed)
          spdlog::error("trader {} failed to load: {}", id, reason);
    }
    for (const auto& f : tick.faults)
      spdlog::warn("fault: trader {} on {}: {} ({})", f.trader_id, f.symbol, to_string(f.what),
                   f.reason);
    for (const auto& s : tick.signals) {
      out->write(s);
      if (database) database->write(s);
      all.push_back(s);
    }
  });
  out->flush();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  auto statuses = pool.statuses();
  if (database) {
    database->write_statuses(statuses);
    database->flush();
  }
  for (const auto& st : statuses)
    if (st.history_bars > capacity)
      spdlog::warn("trader {} wants {} bars of history; --capacity is {}", st.id, st.history_bars,
                   capacity);

  if (summary_path.empty()) {
    write_summary(std::cerr, sched.totals(), statuses, sched.ticks(), seconds, feed.stats());
  } else {
    std::ofstream file(summary_path);
    write_summary(file, sched.totals(), statuses, sched.ticks(), seconds, feed.stats());
  }

  if (!chart.empty()) {
    std::vector<chart_panel> panels;
    std::size_t markers = 0;
    for (const auto& st : statuses) {
      if (!st.loaded) continue;
      vyx_timeframe_mask usable =
          (st.required_timeframes ? st.required_timeframes : feed.timeframes()) &
          store.timeframes();
      if (!usable) continue;
      auto tf = static_cast<vyx_timeframe>(std::countr_zero(usable));
      std::map<std::string, std::size_t> per_symbol;
      for (const auto& s : all)
        if (s.trader == st.id) ++per_symbol[s.symbol];
      std::vector<std::pair<std::size_t, std::size_t>> ranked;  // (signals, symbol index)
      for (std::size_t i = 0; i < store.symbol_count(); ++i) {
        auto it = per_symbol.find(std::string(store.symbol(i)));
        ranked.emplace_back(it == per_symbol.end() ? 0 : it->second, i);
      }
      std::stable_sort(ranked.begin(), ranked.end(),
                       [](auto& a, auto& b) { return a.first > b.first; });
      for (std::size_t k = 0; k < std::min<std::size_t>(chart_symbols, ranked.size()); ++k) {
        std::size_t symbol = ranked[k].second;
        chart_panel p;
        p.trader = st.id;
        p.symbol = std::string(store.symbol(symbol));
        p.timeframe = tf;
        p.candles = candles_of(store, symbol, tf);
        for (vyx_timeframe other = 0; other < VYX_TIMEFRAME_COUNT; ++other)
          if (store.timeframes() & (1u << other))
            p.series_candles[other] = candles_of(store, symbol, other);
        p.series = pool.run_series(st.id, symbol);
        if (!p.series.error.empty())
          spdlog::warn("chart: {} on {}: {}", st.id, p.symbol, p.series.error);
        for (const auto& s : all)
          if (s.trader == st.id && s.symbol == p.symbol) p.signals.push_back(s);
        markers += markers_in_window(p);
        panels.push_back(std::move(p));
      }
    }
    std::ofstream file(chart, std::ios::binary);
    file << render_chart_html("vyx backtest — " + data, panels);
    if (!file) throw std::runtime_error("cannot write " + chart);
    spdlog::info("chart: {} ({} panels, {} signal markers in view)", chart, panels.size(), markers);
  }
  // The summary and the signals of the others are out; the exit status still
  // says that not everything asked for was screened.
  if (sched.ticks() == 0) {
    std::cerr << "vyx backtest: no candles in " << data
              << (from.empty() && to.empty() ? "" : " between --from and --to") << '\n';
    return 1;
  }
  const auto not_loaded =
      std::count_if(statuses.begin(), statuses.end(), [](const auto& st) { return !st.loaded; });
  if (not_loaded > 0) {
    std::cerr << "vyx backtest: " << not_loaded << " of " << statuses.size()
              << " traders did not load (see the summary)\n";
    return 1;
  }
  return 0;
}

}  // namespace vyx::cli
