// The worker pool: a tick runs every runnable trader of the current
// generation over every symbol, and its result is made independent of how
// the symbols were split. The parts: generations (hot reload), a backend
// that runs them (sandboxed workers, see tick_round for a tick's round), and
// the ledger of faults and quarantine (see vyx/runtime/pool/worker_pool.hpp).
#include "vyx/runtime/pool/worker_pool.hpp"

#include <algorithm>
#include <set>

#include "pool/generations.hpp"
#include "pool/pool_backend.hpp"
#include "pool/pool_context.hpp"

namespace vyx::runtime {
namespace {

// Orders a tick's matches by (trader, symbol) in linear time: bucketed by
// trader (stable), then each trader's run by symbol, which is sorted already
// but where several workers' replies meet. Each match owns its values, and a
// comparison sort of tens of thousands of them was a visible part of a tick.
void sort_by_trader(std::vector<match>& matches, std::size_t traders) {
  std::vector<std::size_t> next(traders + 1, 0);
  for (const match& m : matches) ++next[m.trader_index + 1];
  for (std::size_t t = 1; t <= traders; ++t) next[t] += next[t - 1];
  const std::vector<std::size_t> starts = next;
  std::vector<match> sorted(matches.size());
  for (match& m : matches) sorted[next[m.trader_index]++] = std::move(m);
  const auto by_symbol = [](const match& a, const match& b) {
    return a.symbol_index < b.symbol_index;
  };
  for (std::size_t t = 0; t < traders; ++t) {
    const auto first = sorted.begin() + static_cast<std::ptrdiff_t>(starts[t]);
    const auto last = sorted.begin() + static_cast<std::ptrdiff_t>(starts[t + 1]);
    if (!std::is_sorted(first, last, by_symbol)) std::sort(first, last, by_symbol);
  }
  matches.swap(sorted);
}

}  // namespace

struct worker_pool::impl {
  impl(const candle_store& store, worker_pool_options options)
      : context(store, std::move(options)),
        backend(context.options.sandbox ? make_sandboxed_backend(context)
                                        : make_in_process_backend(context)),
        generations(context, *backend) {}

  // Declared in the order they are built; generations go first at the end,
  // while the backend they run on is still there.
  pool_context context;
  std::unique_ptr<pool_backend> backend;
  class generations generations;

  // The traders of g this tick evaluates: not quarantined nor disabled, and
  // needing one of the closed timeframes (or none in particular).
  std::vector<std::uint32_t> active_traders(const generation& g, vyx_timeframe_mask closed) const {
    std::vector<std::uint32_t> active;
    for (std::uint32_t i = 0; i < g.specs.size(); ++i) {
      if (!context.ledger.may_run(g.specs[i].id)) continue;
      const vyx_timeframe_mask need = g.infos[i].required_timeframes;
      if (need == 0 || (need & closed) != 0) active.push_back(i);
    }
    return active;
  }

  tick_result run_tick(const tick_request& request) {
    const auto t0 = std::chrono::steady_clock::now();
    tick_result result;
    generation* g = generations.begin_tick(request.now_ms);
    if (!g || g->specs.empty()) return result;
    const auto active = active_traders(*g, request.closed);
    std::set<std::uint32_t> excluded;
    if (!active.empty()) g->runner->run_tick(active, request, result, excluded);
    // A trader that faulted this tick gives no result for it at all, so its
    // output does not depend on where the symbols were split.
    if (!excluded.empty())
      result.matches.erase(
          std::remove_if(result.matches.begin(), result.matches.end(),
                         [&](const match& m) { return excluded.count(m.trader_index) != 0; }),
          result.matches.end());
    sort_by_trader(result.matches, g->specs.size());
    for (std::uint32_t t : active)
      if (!excluded.count(t))
        context.ledger.count_evaluations(g->specs[t].id, context.store.symbol_count());
    // Once per run of a trader's matches (sorted above), not per match: the
    // ledger is keyed by id, and a tick may carry tens of thousands of matches.
    for (auto run = result.matches.begin(); run != result.matches.end();) {
      const auto end = std::find_if(run, result.matches.end(), [&](const match& m) {
        return m.trader_index != run->trader_index;
      });
      context.ledger.count_match(g->specs[run->trader_index].id,
                                 static_cast<std::uint64_t>(end - run));
      run = end;
    }
    result.elapsed = std::chrono::steady_clock::now() - t0;
    generations.end_tick();
    g->runner->after_tick(result.elapsed);
    return result;
  }

  plot_result run_series(const std::string& trader_id, std::size_t symbol) {
    plot_result r;
    generation* g = generations.for_series();
    if (!g) {
      r.error = "no traders loaded";
      return r;
    }
    auto it = std::find_if(g->specs.begin(), g->specs.end(),
                           [&](const trader_spec& s) { return s.id == trader_id; });
    if (it == g->specs.end() || symbol >= context.store.symbol_count()) {
      r.error = "unknown trader or symbol";
      return r;
    }
    return g->runner->series(static_cast<std::uint32_t>(it - g->specs.begin()), symbol);
  }
};

worker_pool::worker_pool(const candle_store& store, worker_pool_options options)
    : impl_(new impl(store, std::move(options))) {}
worker_pool::~worker_pool() = default;

load_report worker_pool::load(const std::vector<trader_spec>& traders) {
  return impl_->generations.load(traders);
}
tick_result worker_pool::run_tick(const tick_request& request) {
  return impl_->run_tick(request);
}
plot_result worker_pool::run_series(const std::string& trader_id, std::size_t symbol_index) {
  return impl_->run_series(trader_id, symbol_index);
}

std::vector<trader_status> worker_pool::statuses() const {
  return impl_->context.ledger.statuses();
}

std::vector<std::string> worker_pool::trader_ids() const {
  std::vector<std::string> ids;
  if (const generation* g = impl_->generations.current())
    for (const auto& s : g->specs) ids.push_back(s.id);
  return ids;
}

unsigned worker_pool::worker_count() const {
  const generation* g = impl_->generations.current();
  return g ? g->runner->worker_count() : impl_->backend->worker_count_before_load();
}

worker_pool_metrics worker_pool::metrics() const {
  return impl_->context.metrics;
}

}  // namespace vyx::runtime
