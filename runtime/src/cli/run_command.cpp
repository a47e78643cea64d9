// `vyx run`: the long-running screening service fed by a replay. Threads:
// the scheduler (this thread), the folder watcher (hot reload), the HTTP
// server, and one that waits for SIGTERM/SIGINT.
#include <boost/program_options.hpp>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "commands.hpp"
#include "trader_sources.hpp"
#include "vyx/runtime/http_server.hpp"
#include "vyx/runtime/jsonl_sink.hpp"
#include "vyx/runtime/replay_feed.hpp"
#include "vyx/runtime/scheduler.hpp"
#include "vyx/runtime/sqlite_sink.hpp"
#include "vyx/runtime/trader_watcher.hpp"

namespace vyx::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace vyx::runtime;
using clock_type = std::chrono::steady_clock;

namespace {

// What /health and /metrics report; written by the scheduler thread.
struct service_state {
  clock_type::time_point started = clock_type::now();
  std::atomic<std::uint64_t> ticks{0}, evaluations{0}, signals{0}, faults{0}, reloads{0},
      reload_failures{0};
  std::atomic<std::int64_t> last_close_ms{0};
  std::atomic<double> last_tick_seconds{0}, max_tick_seconds{0}, last_reload_seconds{0};
  std::atomic<bool> feed_ended{false}, stopping{false};
  std::mutex mutex;  // guards the rest
  std::vector<trader_status> statuses;
  unsigned workers = 0;
};

std::string health_json(service_state& s, const std::string& mode) {
  const double uptime = std::chrono::duration<double>(clock_type::now() - s.started).count();
  const char* user = std::getenv("USER_ID");
  std::size_t traders = 0, quarantined = 0;
  unsigned workers = 0;
  {
    std::lock_guard lock(s.mutex);
    for (const auto& t : s.statuses) {
      traders += t.loaded;
      quarantined += t.quarantined;
    }
    workers = s.workers;
  }
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  std::ostringstream out;
  out << "{\"status\":\"" << (s.stopping ? "stopping" : "ok") << "\",\"timestamp\":\""
      << iso8601_utc(now_ms) << "\",\"version\":\"" << version
      << "\",\"uptime\":" << static_cast<std::int64_t>(uptime) << ",\"run_mode\":\"" << mode
      << "\",\"user_id\":\"" << json_escape(user ? user : "local")
      << "\",\"trader_count\":" << traders << ",\"components\":{\"feed\":\""
      << (s.feed_ended ? "ended" : "ok") << "\",\"workers\":" << workers
      << ",\"quarantined\":" << quarantined << ",\"ticks\":" << s.ticks << "}}\n";
  return out.str();
}

std::string metrics_text(service_state& s, const feed& source) {
  std::ostringstream out;
  auto metric = [&](const char* name, const char* type, const char* help, auto value) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n'
        << name << ' ' << value << '\n';
  };
  auto stats = source.stats();
  metric("vyx_uptime_seconds", "gauge", "Seconds since start.",
         std::chrono::duration<double>(clock_type::now() - s.started).count());
  metric("vyx_ticks_total", "counter", "Ticks (candle closes) screened.", s.ticks.load());
  metric("vyx_evaluations_total", "counter", "Trader evaluations.", s.evaluations.load());
  metric("vyx_signals_total", "counter", "Signals written (after dedup).", s.signals.load());
  metric("vyx_faults_total", "counter", "Evaluations that faulted.", s.faults.load());
  metric("vyx_reloads_total", "counter", "Trader generations switched in.", s.reloads.load());
  metric("vyx_reload_failures_total", "counter", "Traders that failed to load.",
         s.reload_failures.load());
  metric("vyx_reload_latency_seconds", "gauge", "Folder change to the tick that used it (last).",
         s.last_reload_seconds.load());
  metric("vyx_tick_duration_seconds", "gauge", "Wall time of the last tick's evaluation.",
         s.last_tick_seconds.load());
  metric("vyx_tick_duration_max_seconds", "gauge", "Longest tick evaluation so far.",
         s.max_tick_seconds.load());
  metric("vyx_last_candle_close_ms", "gauge", "Close time of the last tick (Unix ms).",
         s.last_close_ms.load());
  metric("vyx_feed_candles_total", "counter", "Candles delivered by the feed.", stats.candles);
  out << "# HELP vyx_feed_dropped_total Rows the feed skipped.\n# TYPE vyx_feed_dropped_total "
         "counter\n"
      << "vyx_feed_dropped_total{reason=\"malformed\"} " << stats.malformed << '\n'
      << "vyx_feed_dropped_total{reason=\"out_of_order\"} " << stats.out_of_order << '\n'
      << "vyx_feed_dropped_total{reason=\"duplicate\"} " << stats.duplicate << '\n';
  std::lock_guard lock(s.mutex);
  metric("vyx_workers", "gauge", "Worker processes.", s.workers);
  metric("vyx_traders", "gauge", "Traders loaded.", s.statuses.size());
  out << "# HELP vyx_trader_evaluations_total Evaluations per trader.\n# TYPE "
         "vyx_trader_evaluations_total counter\n";
  for (const auto& t : s.statuses)
    out << "vyx_trader_evaluations_total{trader=\"" << t.id << "\"} " << t.evaluations << '\n';
  out << "# HELP vyx_trader_quarantined Whether a trader is quarantined.\n# TYPE "
         "vyx_trader_quarantined gauge\n";
  for (const auto& t : s.statuses)
    out << "vyx_trader_quarantined{trader=\"" << t.id << "\"} " << t.quarantined << '\n';
  return out.str();
}

}  // namespace

int run_command(const std::vector<std::string>& args) {
  po::options_description options("vyx run --replay PATH --traders DIR [options]");
  std::string replay_path, traders_dir, db, jsonl, address, from, to;
  unsigned port = 8080, workers = 0, deadline_ms = 250;
  std::uint32_t capacity = 0;
  double speed = 60;
  options.add_options()("help,h", "this help")("replay", po::value(&replay_path),
                                               "candles to replay: DATA/<SYMBOL>/<tf>.csv|.json")(
      "traders", po::value(&traders_dir),
      "folder of traders (.so or .cpp; <id>.disabled disables one), watched")(
      "speed", po::value(&speed)->default_value(60),
      "market seconds per wall second (0 = as fast as possible)")(
      "from", po::value(&from), "replay start (UTC date or Unix ms)")(
      "to", po::value(&to), "replay end")("db", po::value(&db)->default_value("vyx.db"),
                                          "SQLite database for signals and trader status")(
      "jsonl", po::value(&jsonl), "write JSON lines to this file ('-' = stdout) instead of SQLite")(
      "port", po::value(&port)->default_value(8080),
      "HTTP port for /health and /metrics (0 = any free port)")(
      "address", po::value(&address)->default_value("0.0.0.0"), "HTTP address")(
      "capacity", po::value(&capacity),
      "closed candles kept per symbol and timeframe "
      "(default: the longest history a source trader declares, at least 500)")(
      "workers", po::value(&workers)->default_value(0),
      "maximum worker processes (0 = the machine's CPUs)")(
      "deadline-ms", po::value(&deadline_ms)->default_value(250), "per-evaluation deadline")(
      "exit-at-end", "stop when the replay ends instead of serving until SIGTERM");
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << options;
    return 0;
  }
  if (replay_path.empty() || traders_dir.empty()) {
    std::cerr << "vyx run: --replay and --traders are required\n\n" << options;
    return 2;
  }
  if (!fs::is_directory(traders_dir)) throw std::runtime_error(traders_dir + ": not a folder");
  replay_options replay;
  replay.speed = speed;
  if (!from.empty() && !(replay.from_ms = parse_time(from)))
    throw std::runtime_error("bad --from '" + from + "'");
  if (!to.empty() && !(replay.to_ms = parse_time(to)))
    throw std::runtime_error("bad --to '" + to + "'");

  // Block the stop signals before any thread starts, so only the waiter sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  trader_sources sources;
  auto initial = sources.scan(traders_dir);
  // Traders that could not be resolved (e.g. a refused artifact) get a status
  // that says why; the scan runs on the watcher thread, the publish on this one.
  std::mutex refusals_mutex;
  auto refusals = sources.refusals();
  auto note_refusals = [&] {
    std::lock_guard lock(refusals_mutex);
    refusals = sources.refusals();
  };
  // Traders added later with a longer history get what the store has (--capacity raises it).
  if (capacity == 0) capacity = std::max<std::uint32_t>(500, sources.max_history_bars());
  replay_feed feed(replay_path, replay);
  auto store = make_store_for(feed, capacity);
  worker_pool_options pool_options;
  pool_options.max_workers = workers;
  pool_options.deadline = std::chrono::milliseconds(deadline_ms);
  worker_pool pool(store, pool_options);
  scheduler sched(feed, store, pool);
  std::unique_ptr<signal_sink> sink;
  if (jsonl == "-")
    sink = std::make_unique<jsonl_sink>(std::cout);
  else if (!jsonl.empty())
    sink = std::make_unique<jsonl_sink>(fs::path(jsonl));
  else
    sink = std::make_unique<sqlite_sink>(db);

  sched.request_reload(std::move(initial));
  service_state state;
  auto reload_requested = std::make_shared<std::atomic<clock_type::rep>>(0);

  trader_watcher watcher(traders_dir);
  std::thread watch_thread([&] {
    while (!state.stopping) {
      if (!watcher.wait(std::chrono::milliseconds(1000))) continue;
      reload_requested->store(clock_type::now().time_since_epoch().count());
      auto specs = sources.scan(traders_dir);
      note_refusals();
      spdlog::info("traders folder changed: {} traders, reloading at the next tick", specs.size());
      sched.request_reload(std::move(specs));
    }
  });

  std::thread signal_thread([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    if (!state.stopping.exchange(true))
      spdlog::info("signal {}: stopping after this tick", signal_number);
    feed.stop();
    watcher.stop();
  });

  const std::string mode = "replay";
  http_server server(address, static_cast<std::uint16_t>(port), [&](const std::string& target) {
    if (target == "/health") return http_reply{200, "application/json", health_json(state, mode)};
    if (target == "/metrics")
      return http_reply{200, "text/plain; version=0.0.4; charset=utf-8", metrics_text(state, feed)};
    return http_reply{404, "text/plain; charset=utf-8", "not found\n"};
  });
  spdlog::info("vyx run: {} symbols, timeframes {}, serving http://{}:{}/health",
               feed.symbols().size(), feed.timeframes(), address, server.port());
  std::cerr << "listening on " << address << ':' << server.port() << std::endl;

  std::uint64_t generation = 0;
  auto publish_statuses = [&] {
    auto statuses = pool.statuses();
    {
      std::lock_guard lock(refusals_mutex);
      for (const auto& [id, reason] : refusals) {
        auto it = std::find_if(statuses.begin(), statuses.end(),
                               [&](const trader_status& t) { return t.id == id; });
        if (it == statuses.end()) {
          trader_status refused;
          refused.id = id;
          refused.reason = reason;
          statuses.push_back(std::move(refused));
        } else {
          it->reason = (it->loaded ? "new version refused, previous kept: " : "") + reason;
        }
      }
    }
    sink->write_statuses(statuses);
    std::lock_guard lock(state.mutex);
    state.statuses = std::move(statuses);
    state.workers = pool.worker_count();
  };
  tick_report tick;
  while (!state.stopping && sched.step(tick)) {
    for (const auto& s : tick.signals) sink->write(s);
    for (const auto& f : tick.faults)
      spdlog::warn("fault: trader {} on {}: {} ({})", f.trader_id, f.symbol, to_string(f.what),
                   f.reason);
    const double seconds = std::chrono::duration<double>(tick.elapsed).count();
    state.ticks = tick.tick;
    state.evaluations += tick.evaluations;
    state.signals += tick.signals.size();
    state.faults += tick.faults.size();
    state.last_close_ms = tick.close_time;
    state.last_tick_seconds = seconds;
    if (seconds > state.max_tick_seconds) state.max_tick_seconds = seconds;
    bool changed = tick.generation != generation || !tick.faults.empty();
    if (tick.generation != generation) {
      generation = tick.generation;
      ++state.reloads;
      if (auto load = sched.last_load()) {
        state.reload_failures += load->failed.size();
        for (const auto& [id, reason] : load->failed)
          spdlog::error("trader {} failed to load: {}", id, reason);
      }
      if (auto at = reload_requested->exchange(0)) {
        auto latency = clock_type::now() - clock_type::time_point(clock_type::duration(at));
        state.last_reload_seconds = std::chrono::duration<double>(latency).count();
      }
      spdlog::info("tick {}: trader generation {} ({} traders)", tick.tick, generation,
                   tick.traders.size());
    }
    if (changed || tick.tick % 60 == 1) publish_statuses();
    sink->flush();
  }
  state.feed_ended = true;
  publish_statuses();
  sink->flush();
  if (!state.stopping && !vm.count("exit-at-end")) {
    spdlog::info("replay ended after {} ticks; serving until SIGTERM", tick.tick);
    signal_thread.join();  // returns once SIGTERM/SIGINT arrived
  }
  state.stopping = true;
  watcher.stop();
  watch_thread.join();
  if (signal_thread.joinable()) {
    pthread_kill(signal_thread.native_handle(), SIGTERM);  // wakes sigwait
    signal_thread.join();
  }
  spdlog::info("vyx run: stopped after {} ticks, {} signals", state.ticks.load(),
               state.signals.load());
  return 0;
}

}  // namespace vyx::cli
