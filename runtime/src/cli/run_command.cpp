// `vyx run`: the long-running screening service fed by a replay or, with
// --live, by Binance. Threads: the scheduler (this thread), the folder
// watcher (hot reload), the HTTP server, one that waits for SIGTERM/SIGINT,
// and the live feed's I/O thread.
#include <boost/program_options.hpp>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <csignal>
#include <iostream>
#include <thread>

#include "commands.hpp"
#include "postgres_mode.hpp"
#include "trader_sources.hpp"
#include "live_options.hpp"
#include "service_health.hpp"
#include "vyx/runtime/feeds/binance_feed.hpp"
#include "vyx/runtime/feeds/recording_feed.hpp"
#include "vyx/runtime/feeds/replay_feed.hpp"
#include "vyx/runtime/screening/scheduler.hpp"
#include "vyx/runtime/screening/trader_watcher.hpp"
#include "vyx/runtime/server/http_server.hpp"
#include "vyx/runtime/sinks/jsonl_sink.hpp"
#include "vyx/runtime/sinks/sqlite_sink.hpp"

namespace vyx::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace vyx::runtime;
using clock_type = std::chrono::steady_clock;

int run_command(const std::vector<std::string>& args) {
  po::options_description options("vyx run (--replay PATH | --live) --traders DIR [options]");
  std::string replay_path, traders_dir, db, jsonl, address, from, to;
  unsigned port = 8080, workers = 0, deadline_ms = 250;
  std::uint32_t capacity = 0;
  double speed = 60;
  std::string outbox;
  unsigned reconcile_ms = 30000, heartbeat_ms = 30000, statement_timeout_ms = 10000,
           drain_ms = 5000;
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
      "exit-at-end", "stop when the replay ends instead of serving until SIGTERM")(
      "outbox", po::value(&outbox)->default_value("vyx-outbox.db"),
      "with DATABASE_URL: the SQLite outbox signals wait in until Postgres has them")(
      "reconcile-ms", po::value(&reconcile_ms)->default_value(30000),
      "with DATABASE_URL: re-read the traders this often (besides LISTEN)")(
      "heartbeat-ms", po::value(&heartbeat_ms)->default_value(30000),
      "with DATABASE_URL: user_fly_apps heartbeat period")(
      "statement-timeout-ms", po::value(&statement_timeout_ms)->default_value(10000),
      "with DATABASE_URL: statement timeout of every Postgres transaction")(
      "drain-ms", po::value(&drain_ms)->default_value(5000),
      "with DATABASE_URL: at exit, keep shipping the outbox this long (the rest waits on disk)")(
      "no-listen", "with DATABASE_URL: no LISTEN, pick trader changes up by reconcile only");
  live_cli live_settings;
  add_live_options(options, live_settings);
  std::string record_dir;
  options.add_options()("record", po::value(&record_dir),
                        "also write the candles screened to DIR/<SYMBOL>/<tf>.csv (replayable)");
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << options;
    return 0;
  }
  // DATABASE_URL: signals to Postgres; traders from Postgres unless --traders is given.
  std::optional<postgres_mode> postgres;
  if (auto pg = postgres_mode_from_environment()) {
    pg->outbox = outbox;
    pg->reconcile = std::chrono::milliseconds(reconcile_ms);
    pg->heartbeat = std::chrono::milliseconds(heartbeat_ms);
    pg->statement_timeout = std::chrono::milliseconds(statement_timeout_ms);
    pg->listen = !vm.count("no-listen");
    pg->drain = std::chrono::milliseconds(drain_ms);
    postgres.emplace(std::move(*pg));
  }
  const bool live = vm.count("live") > 0;
  if ((replay_path.empty() == !live) || (traders_dir.empty() && !postgres)) {
    std::cerr << "vyx run: one of --replay or --live, and --traders (or DATABASE_URL), are "
                 "required\n\n"
              << options;
    return 2;
  }
  if (!traders_dir.empty() && !fs::is_directory(traders_dir))
    throw std::runtime_error(traders_dir + ": not a folder");
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
  scheduler* reload_target = nullptr;  // set once the scheduler exists, before the registry starts
  auto reload_requested = std::make_shared<std::atomic<clock_type::rep>>(0);
  auto initial = !traders_dir.empty()
                     ? sources.scan(traders_dir)
                     : postgres->load_traders([&](std::vector<trader_spec> specs) {
                         reload_requested->store(clock_type::now().time_since_epoch().count());
                         reload_target->request_reload(std::move(specs));
                       });
  // Traders added later with a longer history get what the store has (--capacity raises it).
  if (capacity == 0)
    capacity = std::max<std::uint32_t>(
        {500, sources.max_history_bars(), postgres ? postgres->max_history_bars() : 0u});
  service_state state;
  const std::string mode = live ? "live" : "replay";
  // The server answers from the start, before (and during) the live feed's backfill.
  std::atomic<feed*> serving_feed{nullptr};
  std::atomic<const binance_feed*> serving_live{nullptr};
  http_server server(address, static_cast<std::uint16_t>(port), [&](const std::string& target) {
    feed* f = serving_feed.load();
    if (target == "/health")
      return http_reply{200, "application/json",
                        health_json(state, f ? mode : "starting", serving_live.load())};
    if (target == "/metrics" && f)
      return http_reply{200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics_text(state, *f, serving_live.load(),
                                     postgres ? postgres->metrics() : "")};
    if (target == "/metrics") return http_reply{503, "text/plain; charset=utf-8", "starting\n"};
    return http_reply{404, "text/plain; charset=utf-8", "not found\n"};
  });
  std::cerr << "listening on " << address << ':' << server.port() << std::endl;

  std::unique_ptr<replay_feed> replay_source;
  std::unique_ptr<binance_feed> live_source;
  if (live) {
    auto settings = live_feed_options(live_settings, std::max(capacity, 1u));
    live_source = std::make_unique<binance_feed>(std::move(settings));
  } else {
    replay_source = std::make_unique<replay_feed>(replay_path, replay);
  }
  feed& source = live ? static_cast<feed&>(*live_source) : *replay_source;
  std::unique_ptr<recording_feed> recorder;
  if (!record_dir.empty()) recorder = std::make_unique<recording_feed>(source, record_dir);
  feed& feed = recorder ? static_cast<vyx::runtime::feed&>(*recorder) : source;
  // Signals for the history backfilled at start are not news: a live run
  // reports candles closing from its start on (a replay of its recording
  // gives the same ones there).
  const std::int64_t live_from =
      live && !live_settings.history_signals ? live_source->market_now() : 0;
  if (live) spdlog::info("vyx run --live: signals for candles closing from {} on", live_from);
  auto store = make_store_for(feed, capacity);
  if (live) live_source->attach_store(store);
  worker_pool_options pool_options;
  pool_options.max_workers = workers;
  pool_options.deadline = std::chrono::milliseconds(deadline_ms);
  worker_pool pool(store, pool_options);
  scheduler sched(feed, store, pool);
  reload_target = &sched;
  std::unique_ptr<signal_sink> sink;
  if (postgres)
    sink = postgres->make_sink(store);
  else if (jsonl == "-")
    sink = std::make_unique<jsonl_sink>(std::cout);
  else if (!jsonl.empty())
    sink = std::make_unique<jsonl_sink>(fs::path(jsonl));
  else
    sink = std::make_unique<sqlite_sink>(db);

  sched.request_reload(std::move(initial));

  std::optional<trader_watcher> watcher;
  if (!traders_dir.empty()) watcher.emplace(traders_dir);
  std::thread watch_thread([&] {
    while (watcher && !state.stopping) {
      if (!watcher->wait(std::chrono::milliseconds(1000))) continue;
      reload_requested->store(clock_type::now().time_since_epoch().count());
      auto specs = sources.scan(traders_dir);
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
    if (watcher) watcher->stop();
  });

  serving_live = live_source.get();
  serving_feed = &feed;
  spdlog::info("vyx run: {} symbols, timeframes {}, serving http://{}:{}/health",
               feed.symbols().size(), feed.timeframes(), address, server.port());

  if (postgres) postgres->start([&] { return !state.stopping; });
  std::uint64_t generation = 0;
  auto publish_statuses = [&] {
    auto statuses = pool.statuses();
    sink->write_statuses(statuses);
    std::lock_guard lock(state.mutex);
    state.statuses = std::move(statuses);
    state.workers = pool.worker_count();
  };
  tick_report tick;
  while (!state.stopping && sched.step(tick)) {
    for (const auto& s : tick.signals)
      if (s.close_time >= live_from) sink->write(s);
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
  if (postgres) postgres->stop();  // no reload requests once the loop is over
  publish_statuses();
  sink->flush();
  if (live_source && !live_source->error().empty()) {
    std::cerr << "vyx run: " << live_source->error() << '\n';
    state.stopping = true;
    if (watcher) watcher->stop();
    watch_thread.join();
    pthread_kill(signal_thread.native_handle(), SIGTERM);
    signal_thread.join();
    return 1;
  }
  if (!state.stopping && !vm.count("exit-at-end")) {
    spdlog::info("replay ended after {} ticks; serving until SIGTERM", tick.tick);
    signal_thread.join();  // returns once SIGTERM/SIGINT arrived
  }
  state.stopping = true;
  if (watcher) watcher->stop();
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
