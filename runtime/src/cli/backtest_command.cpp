// `vyx backtest`: the same plugins and scheduler over recorded candles, as
// fast as possible; signals on stdout, a summary with the signal quality
// (text, and JSON for machines), and an interactive HTML report. With
// --watch, again after every save of a trader file (the edit loop).
#include <boost/program_options.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <set>

#include "backtest_quality.hpp"
#include "backtest_report.hpp"
#include "backtest_summary.hpp"
#include "commands.hpp"
#include "go_window_option.hpp"
#include "screening_pipeline.hpp"
#include "source_watcher.hpp"
#include "tick_logging.hpp"
#include "trader_sources.hpp"
#include "vyx/runtime/sinks/jsonl_sink.hpp"
#include "vyx/runtime/sinks/sqlite_sink.hpp"

namespace vyx::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace vyx::runtime;

namespace {

struct backtest_options {
  std::vector<std::string> traders;
  std::string data, from, to, chart, summary_path, summary_json_path, signals_path, db;
  unsigned workers = 0, chart_symbols = 10, deadline_ms = 250, settle_ms = 100;
  std::uint32_t capacity = 0;
  std::int64_t window = platform_go_window;
  bool watch = false;
};

void add_backtest_options(po::options_description& options, backtest_options& o) {
  options.add_options()("help,h", "this help")(
      "trader,t", po::value(&o.traders)->composing(),
      "a trader: a built plugin (.so) or source (.cpp, .go) compiled first, named by its file "
      "stem; or a folder of them (repeatable)")(
      "data,d", po::value(&o.data),
      "candles: DATA/<SYMBOL>/<tf>.csv|.json, or one fixture .json file")(
      "from", po::value(&o.from), "start (UTC): 2024-03-01, 2024-03-01T12:00 or Unix ms")(
      "to", po::value(&o.to), "end (UTC), same forms")(
      "chart", po::value(&o.chart),
      "write the interactive HTML report to this file: candles with zoom and crosshair, the "
      "trader's series, its signals with their values, the signal quality; one file that "
      "works offline")(
      "chart-symbols", po::value(&o.chart_symbols)->default_value(10),
      "symbols charted per trader (most signals first; the quality tables cover all)")(
      "signals", po::value(&o.signals_path), "write the JSON lines to this file instead of stdout")(
      "summary", po::value(&o.summary_path),
      "write the per-trader summary to this file instead of stderr")(
      "summary-json", po::value(&o.summary_json_path),
      "also write the summary and the signal quality as one JSON object to this file "
      "('-': stdout, when --signals moves the signals off it)")(
      "db", po::value(&o.db), "also write signals and trader statuses to this SQLite database")(
      "capacity", po::value(&o.capacity),
      "closed candles kept per symbol and timeframe "
      "(default: the longest history a source trader declares and --window, at least 500)")(
      "workers", po::value(&o.workers)->default_value(0),
      "worker processes (0 = the machine's CPUs)")(
      "deadline-ms", po::value(&o.deadline_ms)->default_value(250), "per-evaluation deadline")(
      "watch", po::bool_switch(&o.watch),
      "keep watching the trader files (and folders): re-check, rebuild and re-run after every "
      "save; a save that does not compile prints its diagnostics and waits for the next one; "
      "Ctrl-C or SIGTERM ends it (exit 0)")(
      "settle-ms", po::value(&o.settle_ms)->default_value(100),
      "with --watch: quiet time after a save before re-running (editors save in bursts)");
  add_go_window_option(options, o.window);
}
// The --trader arguments with each folder replaced by the trader files in it (sorted;
// hidden files left out).
std::vector<std::string> expand_trader_folders(const std::vector<std::string>& traders) {
  std::vector<std::string> files;
  for (const auto& t : traders) {
    std::error_code ec;
    if (!fs::is_directory(t, ec)) {
      files.push_back(t);
      continue;
    }
    std::vector<std::string> in_folder;
    for (const auto& entry : fs::directory_iterator(t, ec))
      if (entry.is_regular_file() && trader_sources::is_trader_file(entry.path()) &&
          entry.path().filename().string()[0] != '.')  // an editor's scratch or lock file
        in_folder.push_back(entry.path().string());
    std::sort(in_folder.begin(), in_folder.end());
    files.insert(files.end(), in_folder.begin(), in_folder.end());
  }
  return files;
}

// Throws std::runtime_error on a bad time or an empty range.
replay_options time_range(const backtest_options& o) {
  replay_options replay;
  if (!o.from.empty() && !(replay.from_ms = parse_time(o.from)))
    throw std::runtime_error("bad --from '" + o.from + "'");
  if (!o.to.empty() && !(replay.to_ms = parse_time(o.to)))
    throw std::runtime_error("bad --to '" + o.to + "'");
  if (replay.from_ms && replay.to_ms && *replay.from_ms > *replay.to_ms)
    throw std::runtime_error("--from " + o.from + " is after --to " + o.to);
  return replay;
}

std::vector<trader_spec> resolve_traders(trader_sources& sources,
                                         const std::vector<std::string>& traders) {
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
  return specs;
}

pipeline_options replay_pipeline(const backtest_options& o, const replay_options& range,
                                 std::uint32_t go_window_bars) {
  pipeline_options pipeline;
  pipeline.replay_path = o.data;
  pipeline.replay = range;
  pipeline.capacity = o.capacity;
  pipeline.max_workers = o.workers;
  pipeline.deadline = std::chrono::milliseconds(o.deadline_ms);
  pipeline.go_window_bars = go_window_bars;
  return pipeline;
}

void add_sinks(screening_pipeline& pipeline, const backtest_options& o) {
  if (o.signals_path.empty())
    pipeline.add_sink(std::make_unique<jsonl_sink>(std::cout));
  else
    pipeline.add_sink(std::make_unique<jsonl_sink>(fs::path(o.signals_path)));
  if (!o.db.empty()) pipeline.add_sink(std::make_unique<sqlite_sink>(o.db));
}

struct screened {
  std::vector<trader_signal> signals;
  // The candles of the traders' signal timeframes, for the quality and the report.
  std::optional<candle_history> history;
};

// Every tick to the end of the data (or until `stop_requested` says so).
screened screen_to_end(screening_pipeline& pipeline, const std::function<bool()>& stop_requested) {
  screened run;
  pipeline.scheduler().run([&](const tick_report& tick) {
    if (stop_requested && stop_requested()) pipeline.feed().stop();
    if (!run.history) {  // the first tick has loaded the traders
      if (auto load = pipeline.scheduler().last_load()) log_load_failures(*load);
      const auto& store = pipeline.store();
      run.history.emplace(store.symbol_count(),
                          signal_timeframes(pipeline.pool().statuses(), store.timeframes()));
    }
    run.history->record_tick(pipeline.store(), tick.close_time, tick.closed);
    warn_faults(tick);
    pipeline.write_signals(tick);
    run.signals.insert(run.signals.end(), tick.signals.begin(), tick.signals.end());
  });
  if (!run.history) run.history.emplace(0, 0);
  return run;
}

void warn_short_capacity(const std::vector<trader_status>& statuses, std::uint32_t capacity) {
  for (const auto& st : statuses)
    if (st.history_bars > capacity)
      spdlog::warn("trader {} wants {} bars of history; --capacity is {}", st.id, st.history_bars,
                   capacity);
}

// Throws std::runtime_error when a file cannot be written.
void print_summary(const backtest_options& o, const backtest_outcome& outcome) {
  if (o.summary_path.empty()) {
    write_summary(std::cerr, outcome);
  } else {
    std::ofstream file(o.summary_path);
    write_summary(file, outcome);
    if (!file) throw std::runtime_error("cannot write " + o.summary_path);
  }
  if (o.summary_json_path == "-") {
    write_summary_json(std::cout, outcome);
  } else if (!o.summary_json_path.empty()) {
    std::ofstream file(o.summary_json_path);
    write_summary_json(file, outcome);
    if (!file) throw std::runtime_error("cannot write " + o.summary_json_path);
  }
}

// The summary and the signals of the others are out; the exit status still
// says that not everything asked for was screened.
int exit_status(const backtest_options& o, std::uint64_t ticks,
                const std::vector<trader_status>& statuses) {
  if (ticks == 0) {
    std::cerr << "vyx backtest: no candles in " << o.data
              << (o.from.empty() && o.to.empty() ? "" : " between --from and --to") << '\n';
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

// One backtest of already resolved traders: screen, summarise, report; the exit status.
int screen_once(backtest_options o, const replay_options& range, trader_sources& sources,
                const std::vector<trader_spec>& specs,
                const std::function<bool()>& stop_requested = {}) {
  const std::uint32_t window = checked_go_window(o.window);
  if (o.capacity == 0)
    o.capacity = std::max<std::uint32_t>({500, sources.max_history_bars(), window});
  warn_window_over_capacity(window, o.capacity);
  screening_pipeline pipeline(replay_pipeline(o, range, window));
  pipeline.scheduler().request_reload(specs);
  add_sinks(pipeline, o);
  const auto started = std::chrono::steady_clock::now();
  const screened run = screen_to_end(pipeline, stop_requested);
  pipeline.flush();  // the time includes writing the signals out
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto statuses = pipeline.pool().statuses();
  pipeline.write_statuses(statuses);
  pipeline.flush();
  warn_short_capacity(statuses, o.capacity);
  const auto qualities = measure_traders(statuses, run.signals, *run.history, pipeline.store());
  const auto totals = pipeline.scheduler().totals();
  print_summary(o, {totals, statuses, qualities, pipeline.scheduler().ticks(), seconds,
                    pipeline.feed().stats()});
  if (!o.chart.empty())
    write_backtest_report({o.chart, "vyx backtest — " + o.data, o.chart_symbols}, qualities,
                          run.signals, *run.history, pipeline.store(), pipeline.pool());
  return exit_status(o, pipeline.scheduler().ticks(), statuses);
}

// The edit loop: run, wait for a save, run again, until SIGINT/SIGTERM. A
// trader that does not compile has printed its diagnostics; the others are
// not run until it does (the summary would be of code the author has left).
int watch_and_rerun(backtest_options& o, const replay_options& range) {
  std::vector<fs::path> watched(o.traders.begin(), o.traders.end());
  source_watcher watcher(watched);
  trader_sources sources;
  for (unsigned run = 1;; ++run) {
    const auto started = std::chrono::steady_clock::now();
    try {
      const auto specs = resolve_traders(sources, expand_trader_folders(o.traders));
      const auto broken = std::count_if(
          specs.begin(), specs.end(), [](const trader_spec& s) { return !s.unavailable.empty(); });
      if (specs.empty())
        std::cerr << "vyx backtest --watch: no trader files yet\n";
      else if (broken > 0)
        std::cerr << "vyx backtest --watch: " << broken << " of " << specs.size()
                  << " traders do not compile; not run\n";
      else
        screen_once(o, range, sources, specs, [&] { return watcher.stop_requested(); });
    } catch (const std::exception& e) {
      // A bad edit or a data problem ends this run, never the loop.
      std::cerr << "vyx backtest --watch: " << e.what() << '\n';
    }
    std::cerr << "vyx backtest --watch: run " << run << " took "
              << std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - started)
                     .count()
              << " ms; watching for changes (Ctrl-C to stop)" << std::endl;
    if (watcher.stop_requested() ||
        watcher.wait(std::chrono::milliseconds(o.settle_ms)) == source_watcher::outcome::stop)
      break;
    std::cerr << "vyx backtest --watch: change seen, re-running" << std::endl;
  }
  std::cerr << "vyx backtest --watch: stopped\n";
  return 0;
}

}  // namespace

int backtest_command(const std::vector<std::string>& args) {
  po::options_description options(
      "vyx backtest --trader T [--trader T2 ...] --data PATH [options]");
  backtest_options o;
  add_backtest_options(options, o);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << options << R"(
Edit loop: vyx backtest --watch --trader my_trader.cpp --data DATA

Signals are JSON lines on stdout; the summary goes to stderr. It ends with the
signal quality: per trader, the return 1, 5 and 20 candles (of the trader's
signal timeframe) after each signal, close[t+h]/close[t] - 1 -- mean, median,
hit rate (share above 0), best, worst -- against the same after every candle
of the screened symbols (the baseline). Signals whose horizon runs past the
data are left out and counted as "past end". --summary-json writes the same
for machines, per symbol too; the --chart report shows both.
)";
    return 0;
  }
  if (o.traders.empty() || o.data.empty()) {
    std::cerr << "vyx backtest: --trader and --data are required\n\n" << options;
    return 2;
  }
  if (o.summary_json_path == "-" && o.signals_path.empty())
    throw std::runtime_error(
        "--summary-json - would mix with the signals on stdout: give --signals FILE too");
  const replay_options range = time_range(o);
  checked_go_window(o.window);  // a bad --window fails before anything runs, --watch or not
  if (o.watch) return watch_and_rerun(o, range);
  trader_sources sources;
  const auto specs = resolve_traders(sources, expand_trader_folders(o.traders));
  if (specs.empty()) {
    std::cerr << "vyx backtest: no trader files in the folders given\n";
    return 1;
  }
  return screen_once(o, range, sources, specs);
}

}  // namespace vyx::cli
