// The worker pool: generations of sandboxed vyx-worker processes, ticks
// partitioned by symbol, the watchdog, fault pinning, quarantine, respawn and
// scaling (see vyx/runtime/worker_pool.hpp).
#include "vyx/runtime/pool/worker_pool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <thread>

#include <spdlog/spdlog.h>

#include "evaluation/evaluator.hpp"
#include "evaluation/plugin_loader.hpp"
#include "evaluation/plugin_output.hpp"
#include "pool/quarantine_ledger.hpp"
#include "pool/worker_process.hpp"
#include "vyx/common/elf_audit.hpp"
#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime {

namespace {
using clock = std::chrono::steady_clock;
constexpr std::size_t respawn_history = 1024;

// Why the ELF audit refuses a plugin file, or empty when it passes.
std::string audit_refusal(const std::filesystem::path& plugin) {
  const std::vector<std::string> problems = common::audit_plugin(plugin);
  if (problems.empty()) return {};
  std::string reason = "refused before loading: " + plugin.filename().string() + " fails the ELF audit: ";
  for (std::size_t i = 0; i < problems.size(); ++i) reason += (i ? "; " : "") + problems[i];
  return reason;
}
}  // namespace

struct worker_pool::impl {
  struct generation {
    std::vector<trader_spec> specs;  // by trader_index
    std::vector<plugin_info> infos;
    std::vector<std::unique_ptr<worker_process>> workers;
    std::vector<loaded_plugin> local_plugins;  // sandbox off
    std::unique_ptr<evaluator> local;
  };

  const candle_store& store;
  worker_pool_options options;
  int store_read_only_fd = -1;
  unsigned max_workers = 1;
  unsigned target_workers = 1;
  clock::time_point last_scale = clock::now();
  quarantine_ledger ledger;
  std::unique_ptr<generation> current, pending, retired;
  // Retired workers that were killed but may still be tearing down their
  // memory: reaped without waiting, so that exit never adds to a load() or
  // a tick (it took 5-10 ms at 100 traders x 500 symbols).
  std::vector<std::unique_ptr<worker_process>> exiting;
  std::uint64_t tick_id = 0;
  std::int64_t last_now_ms = 0;  // of the latest tick: what a warm-up round passes
  worker_pool_metrics stats;

  impl(const candle_store& s, worker_pool_options o)
      : store(s),
        options(std::move(o)),
        ledger(options.quarantine_faults, options.quarantine_window) {
    unsigned cpus = std::max(1u, std::thread::hardware_concurrency());
    max_workers = options.max_workers == 0 ? cpus : options.max_workers;
    options.min_workers = std::clamp(options.min_workers, 1u, max_workers);
    target_workers = max_workers;
    if (options.worker_executable.empty()) options.worker_executable = default_worker_executable();
    if (options.sandbox) {
      // Workers get a read-only descriptor of the store: their mappings can
      // never be made writable, whatever a plugin calls mprotect with.
      std::string path = "/proc/self/fd/" + std::to_string(store.fd());
      store_read_only_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (store_read_only_fd < 0)
        throw std::runtime_error("worker_pool: cannot reopen the candle store read-only");
    }
  }

  ~impl() {
    retired.reset();
    exiting.clear();  // waits for each
    pending.reset();
    current.reset();
    if (store_read_only_fd >= 0) ::close(store_read_only_fd);
  }

  spawn_config config_for(const generation& g) const {
    spawn_config c;
    c.executable = options.worker_executable;
    c.store_fd = store_read_only_fd;
    for (const auto& s : g.specs) c.plugins.push_back(s.plugin_path);
    c.address_space = options.address_space_limit;
#if defined(__SANITIZE_ADDRESS__)
    c.address_space = 0;  // ASan reserves terabytes of shadow memory
#endif
    c.cpu_seconds = options.worker_cpu_seconds;
    c.load_deadline = options.load_deadline;
    c.tick_budget_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(options.trader_tick_budget).count();
    return c;
  }

  // ------------------------------------------------------------- faults

  void record_fault(const std::string& id, std::size_t symbol, outcome what,
                    const std::string& reason, tick_result* result) {
    std::string symbol_name =
        symbol < store.symbol_count() ? std::string(store.symbol(symbol)) : std::string();
    if (result) result->faults.push_back({id, symbol_name, what, reason});
    spdlog::warn("trader {} faulted on {}: {} ({})", id, symbol_name, to_string(what), reason);
    if (ledger.record_fault(id, clock::now(), what, reason, symbol_name))
      spdlog::error("trader {} {}", id, ledger.status(id).reason);
  }

  std::unique_ptr<worker_process> respawn(generation& g, worker_death* death) {
    const auto t0 = clock::now();
    auto w = worker_process::spawn(config_for(g), nullptr, death);
    if (w) {
      ++stats.respawns;
      if (stats.recent_respawns.size() == respawn_history)
        stats.recent_respawns.erase(stats.recent_respawns.begin());
      stats.recent_respawns.push_back(clock::now() - t0);
    }
    return w;
  }

  // Starts n workers of generation g at once (their exec, dynamic linking and
  // plugin loading overlap) and waits for each. The first one's plugin
  // report goes to *infos; if it fails, none is kept and *death says why.
  std::vector<std::unique_ptr<worker_process>> spawn_workers(const generation& g, unsigned n,
                                                             std::vector<plugin_info>* infos,
                                                             worker_death* death) {
    const spawn_config config = config_for(g);
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

  // -------------------------------------------------------------- load

  load_report load(const std::vector<trader_spec>& traders) {
    const auto t0 = clock::now();
    retire();
    load_report report;
    std::map<std::string, std::filesystem::path> previous;  // what runs now, by id
    for (generation* g : {current.get(), pending.get()})
      if (g)
        for (std::size_t i = 0; i < g->specs.size(); ++i)
          previous[g->specs[i].id] = g->specs[i].plugin_path;

    auto g = std::make_unique<generation>();
    ledger.keep_only(traders);
    for (const auto& t : traders)
      if (t.enabled) g->specs.push_back(t);

    std::map<std::string, std::string> failures;
    // A plugin that fails keeps its previous version if there is one, else drops out.
    auto fall_back = [&](std::size_t i, const std::string& reason) {
      const std::string id = g->specs[i].id;
      failures[id] = reason;
      auto old = previous.find(id);
      if (old != previous.end() && old->second != g->specs[i].plugin_path) {
        g->specs[i].plugin_path = old->second;
      } else {
        g->specs.erase(g->specs.begin() + static_cast<std::ptrdiff_t>(i));
      }
    };

    for (std::size_t i = g->specs.size(); i-- > 0;) {
      if (!g->specs[i].unavailable.empty())
        fall_back(i, g->specs[i].unavailable);
      else if (options.audit_plugins)
        if (std::string refused = audit_refusal(g->specs[i].plugin_path); !refused.empty())
          fall_back(i, refused);
    }
    // A trader needing a timeframe the market data lacks would never be
    // evaluated: it is refused, visibly, instead.
    const auto missing_timeframes = [&](vyx_timeframe_mask required) -> std::string {
      const vyx_timeframe_mask missing = required & ~store.timeframes();
      if (missing == 0) return {};
      std::string names;
      for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf)
        if (missing & (1u << tf)) names += (names.empty() ? "" : ", ") + std::string(timeframe_name(tf));
      return "needs timeframe " + names + ", which the market data does not have; never evaluated";
    };

    bool settled = false;
    for (std::size_t attempt = 0; attempt <= traders.size() + 1 && !settled; ++attempt) {
      if (options.sandbox) {
        worker_death death;
        std::vector<plugin_info> infos;
        auto workers = spawn_workers(*g, target_workers, &infos, &death);
        if (workers.empty()) {
          if (death.pinned && death.phase == worker_phase::loading &&
              death.trader < g->specs.size()) {
            fall_back(death.trader, "failed to load: " + std::string(to_string(death.what)) + ": " +
                                        death.reason);
            continue;
          }
          for (const auto& s : traders)
            report.failed.emplace_back(s.id, "worker failed to start: " + death.reason);
          return report;  // the running generation stays
        }
        bool changed = false;
        for (std::size_t i = infos.size(); i-- > 0;) {
          if (!infos[i].ok) {
            fall_back(i, infos[i].error);
            changed = true;
          } else if (std::string missing = missing_timeframes(infos[i].required_timeframes);
                     !missing.empty()) {
            fall_back(i, missing);
            changed = true;
          }
        }
        if (changed) continue;
        g->infos = std::move(infos);
        g->workers = std::move(workers);
        settled = true;
      } else {
        std::vector<plugin_load_result> loaded(g->specs.size());
        bool changed = false;
        for (std::size_t i = g->specs.size(); i-- > 0;) {
          loaded[i] = plugin_loader::load(g->specs[i].plugin_path);
          if (!loaded[i].ok) {
            fall_back(i, loaded[i].error);
            changed = true;
          } else if (std::string missing =
                         missing_timeframes(loaded[i].plugin.descriptor()->required_timeframes);
                     !missing.empty()) {
            fall_back(i, missing);
            changed = true;
          }
        }
        if (changed) continue;
        std::vector<const vyx_plugin*> descriptors;
        for (auto& r : loaded) {
          const vyx_plugin* d = r.plugin.descriptor();
          plugin_info info;
          info.ok = true;
          info.name = d->name;
          info.required_timeframes = d->required_timeframes;
          info.history_bars = d->history_bars;
          info.max_signal_values = d->max_signal_values;
          info.has_series = d->series != nullptr;
          g->infos.push_back(info);
          descriptors.push_back(d);
          g->local_plugins.push_back(std::move(r.plugin));
        }
        g->local = std::make_unique<evaluator>(store, std::move(descriptors));
        settled = true;
      }
    }
    if (!settled) {
      for (const auto& s : traders) report.failed.emplace_back(s.id, "plugin set did not settle");
      return report;
    }

    for (std::size_t i = 0; i < g->specs.size(); ++i) {
      const trader_spec& spec = g->specs[i];
      ledger.mark_loaded(spec.id, g->infos[i].required_timeframes, g->infos[i].history_bars);
      if (!failures.count(spec.id)) {
        report.loaded.push_back(spec.id);
        ledger.mark_running(spec.id, spec.plugin_path);
      }
    }
    for (const auto& [id, reason] : failures) {
      report.failed.emplace_back(id, reason);
      const bool kept = std::any_of(g->specs.begin(), g->specs.end(),
                                    [&](const trader_spec& s) { return s.id == id; });
      ledger.mark_refused(id, kept, reason);
      spdlog::warn("trader {}: {}", id, reason);
    }
    const auto warm_start = clock::now();
    stats.last_spawn = warm_start - t0;
    warm(*g);
    stats.last_warm = clock::now() - warm_start;
    discard(pending);  // a load() not yet switched in is replaced
    pending = std::move(g);
    stats.last_load = clock::now() - t0;
    return report;
  }

  // Evaluates every trader of g over every symbol once, results dropped, so
  // that g's indicator states exist before it is switched in.
  void warm(generation& g) {
    std::vector<std::uint32_t> traders;
    for (std::uint32_t i = 0; i < g.specs.size(); ++i)
      if (!ledger.quarantined(g.specs[i].id)) traders.push_back(i);
    if (traders.empty()) return;
    const tick_request request{last_now_ms, store.timeframes()};
    if (!options.sandbox) {
      for (std::size_t s = 0; s < store.symbol_count(); ++s) {
        g.local->begin_symbol(s, request.now_ms);
        for (std::uint32_t t : traders) (void)g.local->evaluate(t);
      }
      stats.warm_evaluations += store.symbol_count() * traders.size();
      return;
    }
    tick_result dropped;
    std::set<std::uint32_t> excluded;
    run_sandboxed(g, traders, request, dropped, excluded, true);
    stats.warm_evaluations += dropped.evaluations;
  }

  // Ends the retired generation: its workers (already told to quit) are
  // killed and left to exit on their own; earlier ones that are gone are reaped.
  void retire() { discard(retired); }

  void discard(std::unique_ptr<generation>& g) {
    if (g)
      for (auto& w : g->workers)
        if (w) {
          w->kill_without_reaping();
          exiting.push_back(std::move(w));
        }
    g.reset();
    std::erase_if(exiting, [](const std::unique_ptr<worker_process>& w) { return w->try_reap(); });
  }

  // The old generation is kept aside: its workers are told to quit once the
  // switching tick's results are in (so their exit does not compete with the
  // tick for the CPUs) and are retired at the next tick or load.
  void switch_generation() {
    if (!pending) return;
    retire();
    retired = std::move(current);
    current = std::move(pending);
    ++stats.generation;
  }

  // -------------------------------------------------------------- ticks

  std::vector<std::uint32_t> active_traders(vyx_timeframe_mask closed) {
    std::vector<std::uint32_t> active;
    for (std::uint32_t i = 0; i < current->specs.size(); ++i) {
      if (!ledger.may_run(current->specs[i].id)) continue;
      const vyx_timeframe_mask need = current->infos[i].required_timeframes;
      if (need == 0 || (need & closed) != 0) active.push_back(i);
    }
    return active;
  }

  struct job {
    std::uint32_t begin = 0, end = 0;
    bool done = false;
    bool in_flight = false;
    unsigned unpinned_failures = 0;
    clock::time_point sent;
  };

  bool parse_tick_result(
      const generation& g, const std::vector<char>& payload, std::uint64_t expect_tick, job& j,
      worker_process& w, tick_result& result,
      std::vector<std::tuple<std::uint32_t, std::uint32_t, vyx_status>>& errors) {
    const std::optional<protocol::tick_reply> reply = protocol::tick_reply::decode(payload);
    if (!reply || reply->tick_id != expect_tick) return false;
    for (const auto& m : reply->matches)
      if (m.trader >= g.specs.size() || m.symbol < j.begin || m.symbol >= j.end) return false;
    for (const auto& e : reply->errors)
      if (e.trader >= g.specs.size()) return false;
    for (const auto& m : reply->matches) {
      match x;
      x.trader_index = m.trader;
      x.symbol_index = m.symbol;
      for (std::uint32_t v = 0; v < m.value_count; ++v) {
        const vyx_signal_value& raw = reply->values[m.first_value + v];
        x.values.push_back(
            {std::string(raw.name, strnlen(raw.name, VYX_NAME_CAPACITY)), raw.value});
      }
      result.matches.push_back(std::move(x));
    }
    for (const auto& e : reply->errors) errors.emplace_back(e.trader, e.symbol, e.status);
    result.evaluations += reply->evaluations;
    w.cpu_ns = reply->cpu_ns;
    return true;
  }

  // One round of generation g's workers over their symbol ranges. A warm-up
  // round (load(), before the switch) builds the new workers' indicator states
  // so that their first tick costs what any other does; its results are
  // dropped and a worker that dies in it is replaced without a fault being
  // recorded: the trader meets the same data again on the next tick, where a
  // fault counts as usual.
  void run_sandboxed(generation& g, const std::vector<std::uint32_t>& active,
                     const tick_request& request, tick_result& result,
                     std::set<std::uint32_t>& excluded, bool warm_up = false) {
    const std::size_t symbols = store.symbol_count();
    const std::size_t worker_total = g.workers.size();
    if (worker_total == 0) {
      for (std::uint32_t t : active)
        record_fault(g.specs[t].id, symbols, outcome::internal_error, "no worker", &result);
      return;
    }
    std::vector<job> jobs(worker_total);
    for (std::size_t w = 0; w < worker_total; ++w) {
      jobs[w].begin = static_cast<std::uint32_t>(symbols * w / worker_total);
      jobs[w].end = static_cast<std::uint32_t>(symbols * (w + 1) / worker_total);
    }
    const std::uint64_t this_tick = ++tick_id;
    std::vector<std::tuple<std::uint32_t, std::uint32_t, vyx_status>> errors;
    // Past the deadline by the watchdog clock's resolution: never early.
    const auto deadline_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(options.deadline).count() +
        watchdog_resolution_ns();
    // A worker that stays silent this long while not evaluating is stuck outside any trader.
    const auto silent_limit =
        std::max<std::chrono::nanoseconds>(std::chrono::seconds(30), options.deadline * 20);

    auto handle_death = [&](std::size_t w, const worker_death& d) {
      job& j = jobs[w];
      j.in_flight = false;
      if (warm_up) {
        // Part of load()'s spawning, like the generation's first workers:
        // not counted as a respawn.
        j.done = true;
        worker_death again;
        g.workers[w] = worker_process::spawn(config_for(g), nullptr, &again);
        return;
      }
      if (d.pinned && d.trader < g.specs.size()) {
        excluded.insert(d.trader);
        record_fault(g.specs[d.trader].id, d.symbol, d.what, d.reason, &result);
      } else if (++j.unpinned_failures >= 2) {
        j.done = true;
        for (std::uint32_t t : active)
          if (!excluded.count(t))
            result.faults.push_back({g.specs[t].id, "", outcome::internal_error,
                                     "worker failed outside any trader: " + d.reason});
      }
      worker_death again;
      g.workers[w] = respawn(g, &again);
      if (!g.workers[w]) g.workers[w] = respawn(g, &again);
      if (!g.workers[w]) {
        j.done = true;
        for (std::uint32_t t : active)
          if (!excluded.count(t))
            result.faults.push_back(
                {g.specs[t].id, "", outcome::internal_error, "no worker: " + again.reason});
      }
    };

    for (;;) {
      std::vector<std::uint32_t> traders;
      for (std::uint32_t t : active)
        if (!excluded.count(t)) traders.push_back(t);
      bool any = false;
      for (std::size_t w = 0; w < worker_total; ++w) {
        job& j = jobs[w];
        if (j.done) continue;
        if (traders.empty() || j.begin == j.end) {
          j.done = true;
          continue;
        }
        if (!g.workers[w]) {
          // Its replacement failed to start last time: try again, else report.
          worker_death d;
          g.workers[w] = respawn(g, &d);
          if (!g.workers[w]) {
            j.done = true;
            if (!warm_up)
              for (std::uint32_t t : traders)
                result.faults.push_back(
                    {g.specs[t].id, "", outcome::internal_error, "no worker: " + d.reason});
            continue;
          }
        }
        const protocol::tick_command command{this_tick, request.now_ms, j.begin, j.end, traders};
        g.workers[w]->buffer().data.clear();
        if (!g.workers[w]->send(command.encode())) {
          handle_death(w, g.workers[w]->reap());
          any = true;
          continue;
        }
        j.in_flight = true;
        j.sent = clock::now();
        any = true;
      }
      if (!any) break;

      for (;;) {
        std::vector<pollfd> fds;
        std::vector<std::size_t> owner;
        for (std::size_t w = 0; w < worker_total; ++w)
          if (jobs[w].in_flight) {
            fds.push_back({g.workers[w]->fd(), POLLIN, 0});
            owner.push_back(w);
          }
        if (fds.empty()) break;
        // Sleep until a reply or the earliest deadline of a running evaluation.
        std::int64_t wait_ns = deadline_ns;
        const std::int64_t now_ns = watchdog_ns();
        for (std::size_t w : owner) {
          auto& slot = g.workers[w]->slot();
          if (slot.phase.load() == static_cast<std::uint32_t>(worker_phase::evaluating))
            wait_ns = std::min(
                wait_ns, slot.started_ns.load(std::memory_order_acquire) + deadline_ns - now_ns);
        }
        const int wait_ms =
            static_cast<int>(std::clamp<std::int64_t>((wait_ns + 999'999) / 1'000'000, 1, 1000));
        int rc = poll(fds.data(), fds.size(), wait_ms);
        if (rc < 0 && errno != EINTR) throw std::runtime_error("worker_pool: poll failed");
        for (std::size_t k = 0; rc > 0 && k < fds.size(); ++k) {
          if (fds[k].revents == 0) continue;
          const std::size_t w = owner[k];
          worker_process& proc = *g.workers[w];
          const bool open = proc.buffer().read_some(proc.fd());
          std::vector<char> payload;
          if (proc.buffer().pop(payload)) {
            if (parse_tick_result(g, payload, this_tick, jobs[w], proc, result, errors)) {
              jobs[w].in_flight = false;
              jobs[w].done = true;
            } else {
              worker_death d = proc.kill_and_reap(false, options.deadline);
              d.pinned = false;
              d.reason = "malformed reply";
              handle_death(w, d);
            }
          } else if (!open) {
            handle_death(w, proc.reap());
          }
        }
        // The watchdog.
        const std::int64_t check_ns = watchdog_ns();
        for (std::size_t w : owner) {
          if (!jobs[w].in_flight) continue;
          auto& slot = g.workers[w]->slot();
          const bool evaluating =
              slot.phase.load() == static_cast<std::uint32_t>(worker_phase::evaluating);
          if (evaluating &&
              check_ns - slot.started_ns.load(std::memory_order_acquire) > deadline_ns) {
            handle_death(w, g.workers[w]->kill_and_reap(true, options.deadline));
          } else if (!evaluating && clock::now() - jobs[w].sent > silent_limit) {
            worker_death d = g.workers[w]->kill_and_reap(false, options.deadline);
            d.pinned = false;
            d.reason = "worker silent";
            handle_death(w, d);
          }
        }
      }
    }
    if (warm_up) return;
    std::sort(errors.begin(), errors.end());
    // Over budget in any worker: one fault for the tick, and no result for it
    // (what it matched before the cut depends on where the symbols were split).
    std::set<std::uint32_t> over_budget;
    for (const auto& [t, s, st] : errors)
      if (st == verdict_over_budget && !excluded.count(t) && over_budget.insert(t).second) {
        const status_fault f = describe_status(st);
        record_fault(g.specs[t].id, s, f.what,
                     f.reason + " (budget " + std::to_string(options.trader_tick_budget.count()) +
                         " ms)",
                     &result);
      }
    for (const auto& [t, s, st] : errors)
      if (!excluded.count(t) && !over_budget.count(t)) {
        const status_fault f = describe_status(st);
        record_fault(g.specs[t].id, s, f.what, f.reason, &result);
      }
    excluded.insert(over_budget.begin(), over_budget.end());
  }

  void run_local(const std::vector<std::uint32_t>& active, const tick_request& request,
                 tick_result& result) {
    evaluator& ev = *current->local;
    for (std::size_t s = 0; s < store.symbol_count(); ++s) {
      ev.begin_symbol(s, request.now_ms);
      for (std::uint32_t t : active) {
        evaluation e = ev.evaluate(t);
        ++result.evaluations;
        if (e.matched) {
          match m;
          m.trader_index = t;
          m.symbol_index = static_cast<std::uint32_t>(s);
          for (std::uint32_t v = 0; v < e.value_count; ++v)
            m.values.push_back(
                {std::string(ev.values()[v].name, strnlen(ev.values()[v].name, VYX_NAME_CAPACITY)),
                 ev.values()[v].value});
          result.matches.push_back(std::move(m));
        } else if (!benign_status(e.status)) {
          const status_fault f = describe_status(e.status);
          record_fault(current->specs[t].id, s, f.what, f.reason, &result);
        }
      }
    }
  }

  tick_result run_tick(const tick_request& request) {
    const auto t0 = clock::now();
    tick_result result;
    last_now_ms = request.now_ms;
    if (!pending) retire();
    switch_generation();
    if (!current || current->specs.empty()) return result;
    const auto active = active_traders(request.closed);
    std::set<std::uint32_t> excluded;
    if (!active.empty()) {
      if (options.sandbox)
        run_sandboxed(*current, active, request, result, excluded);
      else
        run_local(active, request, result);
    }
    // A trader that faulted this tick gives no result for it at all, so its
    // output does not depend on where the symbols were split.
    if (!excluded.empty())
      result.matches.erase(
          std::remove_if(result.matches.begin(), result.matches.end(),
                         [&](const match& m) { return excluded.count(m.trader_index) != 0; }),
          result.matches.end());
    std::sort(result.matches.begin(), result.matches.end(), [](const match& a, const match& b) {
      return a.trader_index != b.trader_index ? a.trader_index < b.trader_index
                                              : a.symbol_index < b.symbol_index;
    });
    for (std::uint32_t t : active)
      if (!excluded.count(t)) ledger.count_evaluations(current->specs[t].id, store.symbol_count());
    for (const auto& m : result.matches) ledger.count_match(current->specs[m.trader_index].id);
    result.elapsed = clock::now() - t0;
    if (retired)
      for (auto& w : retired->workers)
        if (w) w->ask_to_quit();
    if (options.sandbox) after_tick(result.elapsed);
    return result;
  }

  // Scaling and recycling happen after the results are out, off the tick's latency.
  void after_tick(std::chrono::nanoseconds busy) {
    generation& g = *current;
    const std::uint64_t recycle_ns = options.worker_cpu_seconds * 1'000'000'000ull / 2;
    for (auto& w : g.workers)
      if (w && w->cpu_ns > recycle_ns) {
        worker_death d;
        if (auto fresh = respawn(g, &d)) w = std::move(fresh);
      }
    const auto now = clock::now();
    if (options.min_workers == max_workers || now - last_scale < options.scale_cooldown) return;
    if (busy > options.scale_up_busy && g.workers.size() < max_workers) {
      worker_death d;
      if (auto w = worker_process::spawn(config_for(g), nullptr, &d)) {
        g.workers.push_back(std::move(w));
        target_workers = static_cast<unsigned>(g.workers.size());
        last_scale = now;
      }
    } else if (busy < options.scale_up_busy / 4 && g.workers.size() > options.min_workers) {
      g.workers.pop_back();
      target_workers = static_cast<unsigned>(g.workers.size());
      last_scale = now;
    }
  }

  plot_result run_series(const std::string& trader_id, std::size_t symbol) {
    plot_result r;
    if (!current) switch_generation();
    if (!current) {
      r.error = "no traders loaded";
      return r;
    }
    generation& g = *current;
    auto it = std::find_if(g.specs.begin(), g.specs.end(),
                           [&](const trader_spec& s) { return s.id == trader_id; });
    if (it == g.specs.end() || symbol >= store.symbol_count()) {
      r.error = "unknown trader or symbol";
      return r;
    }
    const auto t = static_cast<std::uint32_t>(it - g.specs.begin());
    const std::int64_t now_ms = 0;
    if (!options.sandbox) return g.local->series(t, symbol, now_ms);
    if (g.workers.empty()) {
      r.error = "no worker";
      return r;
    }
    const std::size_t w =
        std::min(g.workers.size() - 1, symbol * g.workers.size() / store.symbol_count());
    worker_process& proc = *g.workers[w];
    const protocol::series_command command{t, static_cast<std::uint32_t>(symbol), now_ms};
    proc.buffer().data.clear();
    const auto deadline_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(options.deadline).count() +
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
        worker_death d = proc.kill_and_reap(true, options.deadline);
        record_fault(trader_id, symbol, d.what, d.reason, nullptr);
        r.error = std::string(to_string(d.what)) + ": " + d.reason;
        worker_death again;
        g.workers[w] = respawn(g, &again);
        return r;
      }
    }
    if (!ok) {
      worker_death d = proc.reap();
      record_fault(trader_id, symbol, d.what, d.reason, nullptr);
      r.error = std::string(to_string(d.what)) + ": " + d.reason;
      worker_death again;
      g.workers[w] = respawn(g, &again);
      return r;
    }
    std::optional<protocol::series_reply> reply = protocol::series_reply::decode(payload);
    if (!reply) {
      r.error = "malformed series reply";
      return r;
    }
    return std::move(reply->plot);
  }
};

worker_pool::worker_pool(const candle_store& store, worker_pool_options options)
    : impl_(new impl(store, std::move(options))) {}
worker_pool::~worker_pool() = default;

load_report worker_pool::load(const std::vector<trader_spec>& traders) {
  return impl_->load(traders);
}
tick_result worker_pool::run_tick(const tick_request& request) {
  return impl_->run_tick(request);
}
plot_result worker_pool::run_series(const std::string& trader_id, std::size_t symbol_index) {
  return impl_->run_series(trader_id, symbol_index);
}

std::vector<trader_status> worker_pool::statuses() const {
  return impl_->ledger.statuses();
}

std::vector<std::string> worker_pool::trader_ids() const {
  std::vector<std::string> ids;
  if (impl_->current)
    for (const auto& s : impl_->current->specs) ids.push_back(s.id);
  return ids;
}

unsigned worker_pool::worker_count() const {
  if (!impl_->current) return impl_->options.sandbox ? 0 : 1;
  return impl_->options.sandbox ? static_cast<unsigned>(impl_->current->workers.size()) : 1;
}

worker_pool_metrics worker_pool::metrics() const {
  return impl_->stats;
}

}  // namespace vyx::runtime
