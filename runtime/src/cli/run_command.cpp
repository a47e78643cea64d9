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

#include "analysis_mode.hpp"
#include "commands.hpp"
#include "go_window_option.hpp"
#include "live_options.hpp"
#include "postgres_mode.hpp"
#include "screening_pipeline.hpp"
#include "service_health.hpp"
#include "tick_logging.hpp"
#include "trader_sources.hpp"
#include "api/jwks_download.hpp"
#include "vyx/runtime/api/event_stream.hpp"
#include "vyx/runtime/api/machine_api.hpp"
#include "vyx/runtime/api/screening_control.hpp"
#include "vyx/runtime/auth/token_verifier.hpp"
#include "vyx/runtime/screening/trader_watcher.hpp"
#include "vyx/runtime/server/http_server.hpp"
#include "vyx/runtime/sinks/jsonl_sink.hpp"
#include "vyx/runtime/sinks/sqlite_sink.hpp"

namespace vyx::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace vyx::runtime;
using clock_type = std::chrono::steady_clock;

namespace {

struct run_options {
  std::string replay_path, traders_dir, db, jsonl, address, from, to;
  unsigned port = 8080, workers = 0, deadline_ms = 250;
  std::uint32_t capacity = 0;
  std::int64_t window = platform_go_window;  // checked into go_window_bars
  std::uint32_t go_window_bars = platform_go_window;
  double speed = 60;
  std::string outbox;
  unsigned reconcile_ms = 30000, heartbeat_ms = 30000, statement_timeout_ms = 10000,
           drain_ms = 5000;
  live_cli live_settings;
  std::string record_dir;
  bool live = false, no_listen = false, exit_at_end = false, analyze = false;
  std::optional<analysis_queue_options> analysis;  // OPENROUTER_API_KEY set
  replay_options replay;  // from speed, from and to
};

void add_run_options(po::options_description& options, run_options& o) {
  options.add_options()("help,h", "this help")("replay", po::value(&o.replay_path),
                                               "candles to replay: DATA/<SYMBOL>/<tf>.csv|.json")(
      "traders", po::value(&o.traders_dir),
      "folder of traders (.so or .cpp; <id>.disabled disables one), watched")(
      "speed", po::value(&o.speed)->default_value(60),
      "market seconds per wall second (0 = as fast as possible)")(
      "from", po::value(&o.from), "replay start (UTC date or Unix ms)")(
      "to", po::value(&o.to), "replay end")("db", po::value(&o.db)->default_value("vyx.db"),
                                            "SQLite database for signals and trader status")(
      "jsonl", po::value(&o.jsonl),
      "write JSON lines to this file ('-' = stdout) instead of SQLite")(
      "port", po::value(&o.port)->default_value(8080),
      "HTTP port for /health and /metrics (0 = any free port)")(
      "address", po::value(&o.address)->default_value("0.0.0.0"), "HTTP address")(
      "capacity", po::value(&o.capacity),
      "closed candles kept per symbol and timeframe "
      "(default: the longest history a source trader declares and --window, at least 500)")(
      "workers", po::value(&o.workers)->default_value(0),
      "maximum worker processes (0 = the machine's CPUs)")(
      "deadline-ms", po::value(&o.deadline_ms)->default_value(250), "per-evaluation deadline")(
      "exit-at-end", "stop when the replay ends instead of serving until SIGTERM")(
      "outbox", po::value(&o.outbox)->default_value("vyx-outbox.db"),
      "with DATABASE_URL: the SQLite outbox signals wait in until Postgres has them")(
      "reconcile-ms", po::value(&o.reconcile_ms)->default_value(30000),
      "with DATABASE_URL: re-read the traders this often (besides LISTEN)")(
      "heartbeat-ms", po::value(&o.heartbeat_ms)->default_value(30000),
      "with DATABASE_URL: user_fly_apps heartbeat period")(
      "statement-timeout-ms", po::value(&o.statement_timeout_ms)->default_value(10000),
      "with DATABASE_URL: statement timeout of every Postgres transaction")(
      "drain-ms", po::value(&o.drain_ms)->default_value(5000),
      "with DATABASE_URL: at exit, keep shipping the outbox this long (the rest waits on disk)")(
      "no-listen", "with DATABASE_URL: no LISTEN, pick trader changes up by reconcile only")(
      "analyze",
      "with OPENROUTER_API_KEY: have the LLM analyse the signals of the --traders folder's traders "
      "(local traders have no owner tier; this is the opt-in; results in --db). With DATABASE_URL the "
      "traders' auto_analyze_signals and owner tier decide, and --traders turns analysis off");
  add_go_window_option(options, o.window);
  add_live_options(options, o.live_settings);
  options.add_options()("record", po::value(&o.record_dir),
                        "also write the candles screened to DIR/<SYMBOL>/<tf>.csv (replayable)");
}

// DATABASE_URL: signals to Postgres; traders from Postgres unless --traders is given.
void configure_postgres_mode(const run_options& o, std::optional<postgres_mode>& postgres) {
  if (auto pg = postgres_mode_from_environment()) {
    pg->outbox = o.outbox;
    pg->reconcile = std::chrono::milliseconds(o.reconcile_ms);
    pg->heartbeat = std::chrono::milliseconds(o.heartbeat_ms);
    pg->statement_timeout = std::chrono::milliseconds(o.statement_timeout_ms);
    pg->listen = !o.no_listen;
    pg->drain = std::chrono::milliseconds(o.drain_ms);
    pg->analysis = o.analysis.has_value() && o.traders_dir.empty();
    postgres.emplace(std::move(*pg));
  }
}

// Throws std::runtime_error on a bad folder, time or window.
void check_traders_folder_times_and_window(run_options& o) {
  o.go_window_bars = checked_go_window(o.window);
  if (!o.traders_dir.empty() && !fs::is_directory(o.traders_dir))
    throw std::runtime_error(o.traders_dir + ": not a folder");
  o.replay.speed = o.speed;
  if (!o.from.empty() && !(o.replay.from_ms = parse_time(o.from)))
    throw std::runtime_error("bad --from '" + o.from + "'");
  if (!o.to.empty() && !(o.replay.to_ms = parse_time(o.to)))
    throw std::runtime_error("bad --to '" + o.to + "'");
}

// Before any thread starts, so only the waiter sees them.
sigset_t block_stop_signals() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  return stop_signals;
}

// The service: its steps in the order run() takes them.
class run_service {
 public:
  // `stop_signals` are blocked already, so only the waiter thread sees them.
  run_service(const run_options& options, std::optional<postgres_mode>& postgres,
              const sigset_t& stop_signals)
      : options_(options),
        postgres_(postgres),
        mode_(options.live ? "live" : "replay"),
        stop_signals_(stop_signals) {}
  int run();

 private:
  std::vector<trader_spec> load_initial_traders_();
  void start_http_server_();
  void request_reload_(std::vector<trader_spec> specs);
  void build_pipeline_();
  void start_analysis_();
  std::unique_ptr<signal_sink> make_sink_();
  void start_folder_watcher_();
  void start_signal_waiter_();
  void screen_until_stopped_();
  void count_tick_();
  void note_new_generation_();
  void publish_statuses_();
  int shut_down_();
  void stop_threads_();

  run_options options_;
  std::optional<postgres_mode>& postgres_;
  const std::string mode_;
  const sigset_t stop_signals_;
  trader_sources sources_;
  scheduler* reload_target_ = nullptr;  // set once the scheduler exists, before the registry starts
  std::shared_ptr<std::atomic<clock_type::rep>> reload_requested_ =
      std::make_shared<std::atomic<clock_type::rep>>(0);
  service_state state_;
  // The machine API (declared before the server, which calls it, so it outlives it).
  std::optional<auth::token_verifier> verifier_;
  std::optional<api::screening_control> control_;
  api::event_stream stream_{api::stream_queue_events_from_environment()};  // GET /api/v1/stream
  std::optional<api::machine_api> api_;
  std::atomic<bool> rescan_requested_{false};  // an API reload: the watcher rescans the folder
  // The server answers from the start, before (and during) the live feed's backfill.
  std::atomic<feed*> serving_feed_{nullptr};
  std::atomic<const binance_feed*> serving_live_{nullptr};
  std::optional<http_server> server_;
  std::optional<analysis_queue> analysis_;  // outlives the pipeline's sink that feeds it
  std::optional<screening_pipeline> pipeline_;
  std::optional<trader_watcher> watcher_;
  std::thread watch_thread_, signal_thread_;
  std::uint64_t generation_ = 0;
  clock_type::time_point statuses_published_{};
  tick_report tick_;
};

int run_service::run() {
  auto initial = load_initial_traders_();
  // Traders added later with a longer history get what the store has (--capacity raises it).
  if (options_.capacity == 0)
    options_.capacity = std::max<std::uint32_t>({500, sources_.max_history_bars(),
                                                 postgres_ ? postgres_->max_history_bars() : 0u,
                                                 options_.go_window_bars});
  warn_window_over_capacity(options_.go_window_bars, options_.capacity);
  state_.started = clock_type::now();  // uptime counts from here, the traders loaded
  start_http_server_();
  build_pipeline_();
  request_reload_(std::move(initial));
  start_folder_watcher_();
  start_signal_waiter_();

  feed& feed = pipeline_->feed();
  serving_live_ = pipeline_->live_feed();
  serving_feed_ = &feed;
  spdlog::info("vyx run: {} symbols, timeframes {}, serving http://{}:{}/health",
               feed.symbols().size(), feed.timeframes(), options_.address, server_->port());
  screen_until_stopped_();
  return shut_down_();
}

std::vector<trader_spec> run_service::load_initial_traders_() {
  if (!options_.traders_dir.empty()) return sources_.scan(options_.traders_dir);
  return postgres_->load_traders([this](std::vector<trader_spec> specs) {
    reload_requested_->store(clock_type::now().time_since_epoch().count());
    request_reload_(std::move(specs));
  });
}

// Every trader set goes through the API's control, which disables the traders stopped through it.
void run_service::request_reload_(std::vector<trader_spec> specs) {
  control_->request_reload(std::move(specs));
}

void run_service::start_http_server_() {
  state_.database = postgres_ ? "postgres" : options_.jsonl.empty() ? "sqlite" : "jsonl";
  // Trader files and the registry both compile through the service when its URL is set.
#ifdef VYX_HAVE_COMPILER
  state_.compiler = std::getenv("VYX_COMPILER_URL") ? "remote" : "local";
#else
  state_.compiler = std::getenv("VYX_COMPILER_URL") ? "remote" : "none";  // the runtime image's vyx
#endif
  auto auth_config = auth::verifier_config_from_environment();
  if (const char* url = std::getenv("SUPABASE_JWKS_URL"); url && *url && auth_config.jwks_json.empty()) {
    auth_config.jwks_json = api::download_jwks(url);
    auth_config.jwks_refetch = [url = std::string(url)] {
      return api::download_jwks(url, std::chrono::seconds(5));
    };
  }
  verifier_.emplace(std::move(auth_config));
  if (!verifier_->can_verify_users())
    spdlog::warn("machine API: no SUPABASE_JWT_SECRET and no JWKS (SUPABASE_JWKS_FILE or _URL): only the "
                 "service role key is accepted on /api/v1");
  api::screening_hooks hooks;
  hooks.request_reload = [this](std::vector<trader_spec> specs) {
    reload_target_->request_reload(std::move(specs));
  };
  if (!options_.traders_dir.empty()) hooks.rescan = [this] { rescan_requested_ = true; };
  const char* owner = std::getenv("USER_ID");
  control_.emplace(owner ? owner : "", std::move(hooks));
  control_->attach_stream(&stream_);
  api_.emplace(
      api::api_config_from_environment(), *verifier_, *control_,
      [this] {
        return health_json(state_, serving_feed_.load() ? mode_ : "starting", serving_live_.load());
      },
      [this]() -> std::string {
        feed* f = serving_feed_.load();
        if (!f) return {};
        return metrics_text(state_, *f, serving_live_.load(),
                            postgres_ ? postgres_->metrics() : "");
      },
      &stream_);
  server_.emplace(options_.address, static_cast<std::uint16_t>(options_.port),
                  [this](const http_request& request) { return api_->handle(request); },
                  http_limits_from_environment());
  std::cerr << "listening on " << options_.address << ':' << server_->port() << std::endl;
}

void run_service::build_pipeline_() {
  pipeline_options pipeline;
  pipeline.replay_path = options_.replay_path;
  pipeline.replay = options_.replay;
  if (options_.live) pipeline.live = options_.live_settings;
  pipeline.record_dir = options_.record_dir;
  pipeline.capacity = options_.capacity;
  pipeline.max_workers = options_.workers;
  pipeline.deadline = std::chrono::milliseconds(options_.deadline_ms);
  pipeline.go_window_bars = options_.go_window_bars;
  pipeline_.emplace(pipeline);
  reload_target_ = &pipeline_->scheduler();
  pipeline_->add_sink(make_sink_());
  pipeline_->add_sink(api::make_stream_sink(stream_));  // after the store: streamed once written
  // A live feed holds the scheduler until the next close (a minute or more):
  // execute-immediate is served while it waits, not after that close.
  if (auto* live = pipeline_->live_feed())
    live->set_idle([this] {
      control_->serve_pending(pipeline_->pool(), pipeline_->store(), state_.last_close_ms.load());
    });
  start_analysis_();
}

// After the signals sink, so a signal is committed before its job is.
void run_service::start_analysis_() {
  if (!options_.analysis) return;
  if (postgres_) {
    // Traders from a folder carry no auto_analyze_signals and no owner: which
    // of them the user opted in is unknown, and analysing them all would spend
    // the user's budget on traders nobody asked for. Off, whatever --analyze says.
    if (!postgres_->has_registry()) {
      spdlog::warn("analysis: off: with DATABASE_URL and --traders the traders come from files, so their "
                   "auto_analyze_signals and owner tier are unknown (--analyze is for --traders without DATABASE_URL)");
      return;
    }
    // The queue stays in SQLite (--db): one analysis per signal across restarts;
    // verdicts go to Postgres signal_analyses (migration 0007).
    auto settings = *options_.analysis;
    settings.writer = postgres_->make_analysis_writer();
    analysis_.emplace(settings);
    pipeline_->add_sink(std::make_unique<analysis_sink>(pipeline_->store(), postgres_->analysis_subjects(),
                                                        &*analysis_, settings.database, settings.max_pending));
    spdlog::info("analysis: signals of auto-analysed traders of an Elite owner analysed by {}, queued in {}, "
                 "stored in Postgres signal_analyses",
                 settings.provider.model, settings.database.string());
    return;
  }
  if (!options_.analyze) {
    spdlog::info("analysis: OPENROUTER_API_KEY is set, but without --analyze local traders are not analysed");
    return;
  }
  const auto& settings = *options_.analysis;
  analysis_.emplace(settings);
  pipeline_->add_sink(std::make_unique<analysis_sink>(
      pipeline_->store(), local_trader_owners(options_.traders_dir), &*analysis_, settings.database,
      settings.max_pending));
  spdlog::info("analysis: signals analysed by {} into {} ({} at a time, {} requests a minute, {} a day)",
               settings.provider.model, settings.database.string(), settings.concurrency,
               settings.requests_per_minute, settings.daily_budget);
}

std::unique_ptr<signal_sink> run_service::make_sink_() {
  if (postgres_) return postgres_->make_sink(pipeline_->store());
  if (options_.jsonl == "-") return std::make_unique<jsonl_sink>(std::cout);
  if (!options_.jsonl.empty()) return std::make_unique<jsonl_sink>(fs::path(options_.jsonl));
  return std::make_unique<sqlite_sink>(options_.db);
}

void run_service::start_folder_watcher_() {
  if (!options_.traders_dir.empty()) watcher_.emplace(options_.traders_dir);
  watch_thread_ = std::thread([this] {
    while (watcher_ && !state_.stopping) {
      if (!watcher_->wait(std::chrono::milliseconds(1000)) && !rescan_requested_.exchange(false))
        continue;
      reload_requested_->store(clock_type::now().time_since_epoch().count());
      auto specs = sources_.scan(options_.traders_dir);
      spdlog::info("traders folder changed: {} traders, reloading at the next tick", specs.size());
      request_reload_(std::move(specs));
    }
  });
}

void run_service::start_signal_waiter_() {
  signal_thread_ = std::thread([this] {
    int signal_number = 0;
    sigwait(&stop_signals_, &signal_number);
    if (!state_.stopping.exchange(true))
      spdlog::info("signal {}: stopping after this tick", signal_number);
    pipeline_->feed().stop();
    if (watcher_) watcher_->stop();
  });
}

void run_service::screen_until_stopped_() {
  if (postgres_) postgres_->start([this] { return !state_.stopping; });
  while (!state_.stopping && pipeline_->scheduler().step(tick_)) {
    pipeline_->write_signals(tick_);
    warn_faults(tick_);
    count_tick_();
    const bool changed = tick_.generation != generation_ || !tick_.faults.empty();
    if (tick_.generation != generation_) note_new_generation_();
    // Also every 10 s of wall time, so that evaluations and last runs in the
    // sinks' status tables (Postgres' trader_runtime_status) stay current on
    // a live feed, where 60 ticks are an hour.
    if (changed || tick_.tick % 60 == 1 ||
        clock_type::now() - statuses_published_ >= std::chrono::seconds(10))
      publish_statuses_();
    pipeline_->flush();
    control_->serve_pending(pipeline_->pool(), pipeline_->store(), tick_.close_time);
  }
  state_.feed_ended = true;
  if (postgres_) postgres_->stop();  // no reload requests once the loop is over
  publish_statuses_();
  pipeline_->flush();
}

void run_service::count_tick_() {
  const double seconds = std::chrono::duration<double>(tick_.elapsed).count();
  state_.ticks = tick_.tick;
  state_.evaluations += tick_.evaluations;
  state_.signals += tick_.signals.size();
  state_.faults += tick_.faults.size();
  state_.last_close_ms = tick_.close_time;
  state_.last_tick_seconds = seconds;
  if (seconds > state_.max_tick_seconds) state_.max_tick_seconds = seconds;
}

void run_service::note_new_generation_() {
  generation_ = tick_.generation;
  ++state_.reloads;
  if (auto load = pipeline_->scheduler().last_load()) {
    state_.reload_failures += load->failed.size();
    log_load_failures(*load);
  }
  if (auto at = reload_requested_->exchange(0)) {
    auto latency = clock_type::now() - clock_type::time_point(clock_type::duration(at));
    state_.last_reload_seconds = std::chrono::duration<double>(latency).count();
  }
  spdlog::info("tick {}: trader generation {} ({} traders)", tick_.tick, generation_,
               tick_.traders.size());
}

void run_service::publish_statuses_() {
  statuses_published_ = clock_type::now();
  auto statuses = pipeline_->pool().statuses();
  pipeline_->write_statuses(statuses);
  control_->publish(statuses, pipeline_->scheduler().totals());
  std::lock_guard lock(state_.mutex);
  state_.statuses = std::move(statuses);
  state_.workers = pipeline_->pool().worker_count();
}

int run_service::shut_down_() {
  const binance_feed* live = pipeline_->live_feed();
  if (live && !live->error().empty()) {
    std::cerr << "vyx run: " << live->error() << '\n';
    stop_threads_();
    return 1;
  }
  if (!state_.stopping && !options_.exit_at_end) {
    spdlog::info("replay ended after {} ticks; serving until SIGTERM", state_.ticks.load());  // tick_ is reset by the last step
    // The API's execute-immediate still screens the last candles (stop/start/reload
    // are recorded, but a replay that ended has no tick left for them to act on).
    while (!state_.stopping) {
      control_->serve_for(std::chrono::milliseconds(200), pipeline_->pool(), pipeline_->store(),
                          state_.last_close_ms.load());
    }
    signal_thread_.join();  // returns once SIGTERM/SIGINT arrived
  }
  stop_threads_();
  spdlog::info("vyx run: stopped after {} ticks, {} signals", state_.ticks.load(),
               state_.signals.load());
  return 0;
}

void run_service::stop_threads_() {
  state_.stopping = true;
  control_->close();
  server_.reset();  // no request reaches the pipeline while it is torn down
  if (watcher_) watcher_->stop();
  watch_thread_.join();
  if (signal_thread_.joinable()) {
    pthread_kill(signal_thread_.native_handle(), SIGTERM);  // wakes sigwait
    signal_thread_.join();
  }
}

}  // namespace

int run_command(const std::vector<std::string>& args) {
  po::options_description options("vyx run (--replay PATH | --live) --traders DIR [options]");
  run_options settings;
  add_run_options(options, settings);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << options;
    return 0;
  }
  settings.live = vm.count("live") > 0;
  settings.no_listen = vm.count("no-listen") > 0;
  settings.exit_at_end = vm.count("exit-at-end") > 0;
  settings.analyze = vm.count("analyze") > 0;
  settings.analysis = analysis_from_environment(settings.db);
  std::optional<postgres_mode> postgres;
  configure_postgres_mode(settings, postgres);
  if ((settings.replay_path.empty() == !settings.live) ||
      (settings.traders_dir.empty() && !postgres)) {
    std::cerr << "vyx run: one of --replay or --live, and --traders (or DATABASE_URL), are "
                 "required\n\n"
              << options;
    return 2;
  }
  check_traders_folder_times_and_window(settings);
  run_service service(settings, postgres, block_stop_signals());
  return service.run();
}

}  // namespace vyx::cli
