// `vyx backtest`: the same plugins and scheduler over recorded candles, as
// fast as possible; signals on stdout, a summary, and an HTML chart.
#include <boost/program_options.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <set>

#include "backtest_chart.hpp"
#include "backtest_summary.hpp"
#include "commands.hpp"
#include "trader_sources.hpp"
#include "vyx/runtime/sinks/jsonl_sink.hpp"
#include "vyx/runtime/feeds/replay_feed.hpp"
#include "vyx/runtime/screening/scheduler.hpp"
#include "vyx/runtime/sinks/sqlite_sink.hpp"
#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace vyx::runtime;

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

  if (!chart.empty())
    write_backtest_chart({chart, "vyx backtest — " + data, chart_symbols, feed.timeframes()},
                         statuses, all, store, pool);
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
