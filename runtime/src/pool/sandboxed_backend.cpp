// The sandboxed backend: each generation's plugins run in vyx-worker
// processes that load them, lock themselves down and evaluate the symbols
// the pool gives each. Worker processes, their spawning, recycling and
// scaling live here; the round of a tick is tick_round's.
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "pool/pool_backend.hpp"
#include "pool/pool_context.hpp"
#include "pool/scaling_policy.hpp"
#include "pool/tick_round.hpp"
#include "pool/worker_process.hpp"

namespace vyx::runtime {
namespace {

using clock = std::chrono::steady_clock;
constexpr std::size_t respawn_history = 1024;

class sandboxed_backend final : public pool_backend {
 public:
  explicit sandboxed_backend(pool_context& context);
  ~sandboxed_backend() override;

  started_generation start(const std::vector<trader_spec>& specs) override;
  void reap_discarded() override;
  unsigned worker_count_before_load() const override { return 0; }

  spawn_config config_for(const std::vector<trader_spec>& specs) const;
  std::unique_ptr<worker_process> respawn(const spawn_config& config, worker_death* death);
  std::vector<std::unique_ptr<worker_process>> spawn_workers(const spawn_config& config, unsigned n,
                                                             std::vector<plugin_info>* infos,
                                                             worker_death* death);

  pool_context& context;
  scaling_policy scaling;
  std::uint64_t tick_id = 0;  // of the latest round, warm-ups included
  // Discarded workers that were killed but may still be tearing down their
  // memory: reaped without waiting, so that exit never adds to a load() or
  // a tick (it took 5-10 ms at 100 traders x 500 symbols).
  std::vector<std::unique_ptr<worker_process>> exiting;

 private:
  std::filesystem::path worker_executable_;
  int store_read_only_fd_ = -1;
};

class sandboxed_generation final : public generation_runner, private worker_source {
 public:
  sandboxed_generation(sandboxed_backend& backend, std::vector<trader_spec> specs,
                       std::vector<std::unique_ptr<worker_process>> workers)
      : backend_(backend),
        specs_(std::move(specs)),
        config_(backend.config_for(specs_)),
        workers_(std::move(workers)) {}

  void run_tick(const std::vector<std::uint32_t>& active, const tick_request& request,
                tick_result& result, std::set<std::uint32_t>& excluded) override {
    tick_round round(backend_.context, specs_, workers_, *this, tick_round::kind::tick);
    round.run(++backend_.tick_id, active, request, result, excluded);
  }

  std::uint64_t warm_up(const std::vector<std::uint32_t>& traders,
                        const tick_request& request) override {
    tick_result dropped;
    std::set<std::uint32_t> excluded;
    tick_round round(backend_.context, specs_, workers_, *this, tick_round::kind::warm_up);
    round.run(++backend_.tick_id, traders, request, dropped, excluded);
    return dropped.evaluations;
  }

  plot_result series(std::uint32_t trader, std::size_t symbol) override;
  unsigned worker_count() const override { return static_cast<unsigned>(workers_.size()); }
  void after_tick(std::chrono::nanoseconds busy) override;

  void ask_to_quit() override {
    for (auto& w : workers_)
      if (w) w->ask_to_quit();
  }

  void discard() override {
    for (auto& w : workers_)
      if (w) {
        w->kill_without_reaping();
        backend_.exiting.push_back(std::move(w));
      }
    workers_.clear();
  }

 private:
  std::unique_ptr<worker_process> respawn(worker_death* why) override {
    return backend_.respawn(config_, why);
  }
  std::unique_ptr<worker_process> spawn(worker_death* why) override {
    return worker_process::spawn(config_, nullptr, why);
  }

  sandboxed_backend& backend_;
  const std::vector<trader_spec> specs_;
  const spawn_config config_;
  std::vector<std::unique_ptr<worker_process>> workers_;
};

// ------------------------------------------------------------ the backend

sandboxed_backend::sandboxed_backend(pool_context& c) : context(c), scaling(c.options) {
  worker_executable_ = context.options.worker_executable.empty()
                           ? default_worker_executable()
                           : context.options.worker_executable;
  // Workers get a read-only descriptor of the store: their mappings can
  // never be made writable, whatever a plugin calls mprotect with.
  std::string path = "/proc/self/fd/" + std::to_string(context.store.fd());
  store_read_only_fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (store_read_only_fd_ < 0)
    throw std::runtime_error("worker_pool: cannot reopen the candle store read-only");
}

sandboxed_backend::~sandboxed_backend() {
  exiting.clear();  // waits for each
  if (store_read_only_fd_ >= 0) ::close(store_read_only_fd_);
}

spawn_config sandboxed_backend::config_for(const std::vector<trader_spec>& specs) const {
  const worker_pool_options& options = context.options;
  spawn_config c;
  c.executable = worker_executable_;
  c.store_fd = store_read_only_fd_;
  for (const auto& s : specs) c.plugins.push_back(s.plugin_path);
  c.address_space = options.address_space_limit;
#if defined(__SANITIZE_ADDRESS__)
  c.address_space = 0;  // ASan reserves terabytes of shadow memory
#endif
  c.cpu_seconds = options.worker_cpu_seconds;
  c.load_deadline = options.load_deadline;
  c.tick_budget_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(options.trader_tick_budget).count();
  c.window_budget_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(options.trader_window_budget).count();
  c.window_ticks = options.budget_window_ticks;
  c.go_window_bars = options.go_window_bars;
  return c;
}

std::unique_ptr<worker_process> sandboxed_backend::respawn(const spawn_config& config,
                                                           worker_death* death) {
  const auto t0 = clock::now();
  auto w = worker_process::spawn(config, nullptr, death);
  if (w) {
    worker_pool_metrics& stats = context.metrics;
    ++stats.respawns;
    if (stats.recent_respawns.size() == respawn_history)
      stats.recent_respawns.erase(stats.recent_respawns.begin());
    stats.recent_respawns.push_back(clock::now() - t0);
  }
  return w;
}

// Starts n workers at once (their exec, dynamic linking and plugin loading
// overlap) and waits for each. The first one's plugin report goes to
// *infos; if it fails, none is kept and *death says why.
std::vector<std::unique_ptr<worker_process>> sandboxed_backend::spawn_workers(
    const spawn_config& config, unsigned n, std::vector<plugin_info>* infos, worker_death* death) {
  std::vector<std::unique_ptr<worker_process>> started;
  for (unsigned i = 0; i < n; ++i) {
    worker_death d;
    auto w = worker_process::start(config, &d);
    if (!w && i == 0) {
      *death = d;
      return {};
    }
    if (!w) {
      spdlog::warn("worker failed to start: {}", d.reason);
      break;
    }
    started.push_back(std::move(w));
  }
  std::vector<std::unique_ptr<worker_process>> ready;
  for (std::size_t i = 0; i < started.size(); ++i) {
    worker_death d;
    if (started[i]->await_hello(config, i == 0 ? infos : nullptr, &d)) {
      ready.push_back(std::move(started[i]));
    } else if (i == 0) {
      *death = d;
      return {};  // the others quit as their handles go
    } else {
      spdlog::warn("worker failed to start: {}", d.reason);
    }
  }
  return ready;
}

started_generation sandboxed_backend::start(const std::vector<trader_spec>& specs) {
  started_generation started;
  worker_death death;
  auto workers = spawn_workers(config_for(specs), scaling.target_workers(), &started.infos, &death);
  if (workers.empty()) {
    started.infos.clear();
    if (death.pinned && death.phase == worker_phase::loading && death.trader < specs.size()) {
      started.culprit = death.trader;
      started.reason = "failed to load: " + std::string(to_string(death.what)) + ": " + death.reason;
    } else {
      started.reason = "worker failed to start: " + death.reason;
    }
    return started;
  }
  // A refused plugin still gets its workers built: they are dropped with the
  // generation when the pool leaves that trader out and starts again.
  started.runner = std::make_unique<sandboxed_generation>(*this, specs, std::move(workers));
  return started;
}

void sandboxed_backend::reap_discarded() {
  std::erase_if(exiting, [](const std::unique_ptr<worker_process>& w) { return w->try_reap(); });
}

// ----------------------------------------------------------- a generation

plot_result sandboxed_generation::series(std::uint32_t t, std::size_t symbol) {
  plot_result r;
  if (workers_.empty()) {
    r.error = "no worker";
    return r;
  }
  pool_context& context = backend_.context;
  const std::string& trader_id = specs_[t].id;
  const std::size_t w =
      std::min(workers_.size() - 1, symbol * workers_.size() / context.store.symbol_count());
  worker_process& proc = *workers_[w];
  const std::int64_t now_ms = 0;
  const protocol::series_command command{t, static_cast<std::uint32_t>(symbol), now_ms};
  proc.buffer().data.clear();
  const auto deadline_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(context.options.deadline).count() +
      watchdog_resolution_ns();
  std::vector<char> payload;
  bool ok = proc.send(command.encode());
  while (ok) {
    if (proc.buffer().pop(payload)) break;
    pollfd pfd{proc.fd(), POLLIN, 0};
    int rc = poll(&pfd, 1, 5);
    if (rc > 0 && !proc.buffer().read_some(proc.fd()) && !proc.buffer().pop(payload)) {
      ok = false;
      break;
    }
    auto& slot = proc.slot();
    if (slot.phase.load() == static_cast<std::uint32_t>(worker_phase::series) &&
        watchdog_ns() - slot.started_ns.load() > deadline_ns) {
      worker_death d = proc.kill_and_reap(true, context.options.deadline);
      context.record_fault(trader_id, symbol, d.what, d.reason, nullptr);
      r.error = std::string(to_string(d.what)) + ": " + d.reason;
      worker_death again;
      workers_[w] = respawn(&again);
      return r;
    }
  }
  if (!ok) {
    worker_death d = proc.reap();
    context.record_fault(trader_id, symbol, d.what, d.reason, nullptr);
    r.error = std::string(to_string(d.what)) + ": " + d.reason;
    worker_death again;
    workers_[w] = respawn(&again);
    return r;
  }
  std::optional<protocol::series_reply> reply = protocol::series_reply::decode(payload);
  if (!reply) {
    r.error = "malformed series reply";
    return r;
  }
  return std::move(reply->plot);
}

// Scaling and recycling happen after the results are out, off the tick's latency.
void sandboxed_generation::after_tick(std::chrono::nanoseconds busy) {
  scaling_policy& scaling = backend_.scaling;
  for (auto& w : workers_)
    if (w && scaling.should_recycle(w->cpu_ns)) {
      worker_death d;
      if (auto fresh = respawn(&d)) w = std::move(fresh);
    }
  const auto now = clock::now();
  switch (scaling.after_tick(busy, workers_.size(), now)) {
    case scaling_policy::change::add_worker: {
      worker_death d;
      if (auto w = worker_process::spawn(config_, nullptr, &d)) {
        workers_.push_back(std::move(w));
        scaling.scaled_to(workers_.size(), now);
      }
      break;
    }
    case scaling_policy::change::remove_worker:
      workers_.pop_back();
      scaling.scaled_to(workers_.size(), now);
      break;
    case scaling_policy::change::none:
      break;
  }
}

}  // namespace

std::unique_ptr<pool_backend> make_sandboxed_backend(pool_context& context) {
  return std::make_unique<sandboxed_backend>(context);
}

}  // namespace vyx::runtime
