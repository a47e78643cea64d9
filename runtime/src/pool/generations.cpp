// Loading, warming, switching and retiring generations (see generations.hpp).
#include "pool/generations.hpp"

#include <algorithm>
#include <map>

#include <spdlog/spdlog.h>

#include "pool/pool_context.hpp"
#include "vyx/common/elf_audit.hpp"
#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime {
namespace {

using clock = std::chrono::steady_clock;

// Why the ELF audit refuses a plugin file, or empty when it passes.
std::string audit_refusal(const std::filesystem::path& plugin) {
  const std::vector<std::string> problems = common::audit_plugin(plugin);
  if (problems.empty()) return {};
  std::string reason = "refused before loading: " + plugin.filename().string() + " fails the ELF audit: ";
  for (std::size_t i = 0; i < problems.size(); ++i) reason += (i ? "; " : "") + problems[i];
  return reason;
}

// A trader needing a timeframe the market data lacks would never be
// evaluated: it is refused, visibly, instead.
std::string missing_timeframes(vyx_timeframe_mask required, vyx_timeframe_mask available) {
  const vyx_timeframe_mask missing = required & ~available;
  if (missing == 0) return {};
  std::string names;
  for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf)
    if (missing & (1u << tf)) names += (names.empty() ? "" : ", ") + std::string(timeframe_name(tf));
  return "needs timeframe " + names + ", which the market data does not have; never evaluated";
}

}  // namespace

generations::generations(pool_context& context, pool_backend& backend)
    : context_(context), backend_(backend) {}

generations::~generations() {
  retired_.reset();
  pending_.reset();
  current_.reset();
}

load_report generations::load(const std::vector<trader_spec>& traders) {
  const auto t0 = clock::now();
  retire();
  load_report report;
  std::map<std::string, std::filesystem::path> previous;  // what runs now, by id
  for (generation* g : {current_.get(), pending_.get()})
    if (g)
      for (const trader_spec& spec : g->specs) previous[spec.id] = spec.plugin_path;

  auto g = std::make_unique<generation>();
  context_.ledger.keep_only(traders);
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
    else if (context_.options.audit_plugins)
      if (std::string refused = audit_refusal(g->specs[i].plugin_path); !refused.empty())
        fall_back(i, refused);
  }

  // Each attempt that fails on a plugin leaves that trader out (or on its
  // previous version), so the set settles within one attempt per trader.
  bool settled = false;
  for (std::size_t attempt = 0; attempt <= traders.size() + 1 && !settled; ++attempt) {
    started_generation started = backend_.start(g->specs);
    if (started.infos.empty() && !started.runner) {
      if (started.culprit) {
        fall_back(*started.culprit, started.reason);
        continue;
      }
      for (const auto& s : traders) report.failed.emplace_back(s.id, started.reason);
      return report;  // the running generation stays
    }
    bool changed = false;
    for (std::size_t i = started.infos.size(); i-- > 0;) {
      if (!started.infos[i].ok) {
        fall_back(i, started.infos[i].error);
        changed = true;
      } else if (std::string missing = missing_timeframes(started.infos[i].required_timeframes,
                                                          context_.store.timeframes());
                 !missing.empty()) {
        fall_back(i, missing);
        changed = true;
      }
    }
    if (changed || !started.runner) continue;
    g->infos = std::move(started.infos);
    g->runner = std::move(started.runner);
    settled = true;
  }
  if (!settled) {
    for (const auto& s : traders) report.failed.emplace_back(s.id, "plugin set did not settle");
    return report;
  }

  quarantine_ledger& ledger = context_.ledger;
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
  worker_pool_metrics& stats = context_.metrics;
  const auto warm_start = clock::now();
  stats.last_spawn = warm_start - t0;
  warm(*g);
  stats.last_warm = clock::now() - warm_start;
  discard(pending_);  // a load() not yet switched in is replaced
  pending_ = std::move(g);
  stats.last_load = clock::now() - t0;
  return report;
}

// Evaluates every trader of g over every symbol once, results dropped, so
// that g's indicator states exist before it is switched in.
void generations::warm(generation& g) {
  std::vector<std::uint32_t> traders;
  for (std::uint32_t i = 0; i < g.specs.size(); ++i)
    if (!context_.ledger.quarantined(g.specs[i].id)) traders.push_back(i);
  if (traders.empty()) return;
  const tick_request request{last_now_ms_, context_.store.timeframes()};
  context_.metrics.warm_evaluations += g.runner->warm_up(traders, request);
}

generation* generations::begin_tick(std::int64_t now_ms) {
  last_now_ms_ = now_ms;
  if (!pending_) retire();
  switch_generation();
  return current_.get();
}

void generations::end_tick() {
  if (retired_) retired_->runner->ask_to_quit();
}

generation* generations::for_series() {
  if (!current_) switch_generation();
  return current_.get();
}

// Ends the retired generation: its workers (already told to quit) are
// killed and left to exit on their own; earlier ones that are gone are reaped.
void generations::retire() { discard(retired_); }

void generations::discard(std::unique_ptr<generation>& g) {
  if (g) g->runner->discard();
  g.reset();
  backend_.reap_discarded();
}

// The old generation is kept aside: its workers are told to quit once the
// switching tick's results are in (so their exit does not compete with the
// tick for the CPUs) and are retired at the next tick or load.
void generations::switch_generation() {
  if (!pending_) return;
  retire();
  retired_ = std::move(current_);
  current_ = std::move(pending_);
  ++context_.metrics.generation;
}

}  // namespace vyx::runtime
