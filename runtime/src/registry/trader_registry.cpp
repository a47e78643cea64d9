// The trader registry's reconcile and its LISTEN thread.
#include "vyx/runtime/registry/trader_registry.hpp"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>

namespace vyx::runtime {
namespace {

constexpr const char* select_traders = R"sql(
SELECT id::text, name, enabled, coalesce(language, 'go'), coalesce(filter::text, ''),
       md5(coalesce(filter::text, '') || '|' || coalesce(language, ''))
FROM public.traders WHERE user_id = $1::uuid ORDER BY id
)sql";

// The same, with the analysis settings (columns 6 and 7): strategy
// instructions are the strategy's "instructions" string, else its text.
constexpr const char* select_traders_with_analysis = R"sql(
SELECT id::text, name, enabled, coalesce(language, 'go'), coalesce(filter::text, ''),
       md5(coalesce(filter::text, '') || '|' || coalesce(language, '')),
       coalesce(auto_analyze_signals, false),
       left(coalesce(CASE WHEN jsonb_typeof(strategy) = 'object' THEN strategy ->> 'instructions' END,
                     strategy #>> '{}', ''), 8000)
FROM public.traders WHERE user_id = $1::uuid ORDER BY id
)sql";

constexpr const char* upsert_build = R"sql(
INSERT INTO public.trader_runtime_status AS s (trader_id, user_id, state, last_error, code_hash,
  updated_at)
SELECT t.id, $2::uuid, CASE WHEN $5 THEN 'starting' ELSE 'compile_failed' END, $3, $4, now()
FROM public.traders t WHERE t.id = $1::uuid
ON CONFLICT (trader_id) DO UPDATE SET last_error = EXCLUDED.last_error,
  code_hash = EXCLUDED.code_hash,
  state = CASE WHEN $5 THEN s.state ELSE 'compile_failed' END, updated_at = now()
)sql";

bool same_specs(const std::vector<trader_spec>& a, const std::vector<trader_spec>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].id != b[i].id || a[i].plugin_path != b[i].plugin_path ||
        a[i].enabled != b[i].enabled || a[i].indicator_ids != b[i].indicator_ids)
      return false;
  return true;
}

}  // namespace

trader_registry::trader_registry(registry_options options, trader_compiler& compiler,
                                 apply_function apply)
    : options_(std::move(options)),
      compiler_(compiler),
      apply_(std::move(apply)),
      session_(options_.database) {}

trader_registry::~trader_registry() {
  stop();
}

std::uint32_t trader_registry::max_history_bars() const {
  std::lock_guard lock(mutex_);
  return max_history_bars_;
}

registry_stats trader_registry::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

std::vector<trader_spec> trader_registry::load(std::string& error) {
  std::vector<trader_spec> specs;
  if (!reconcile_(specs, error)) return {};
  applied_ = specs;
  loaded_ = true;
  record_builds_();
  return specs;
}

void trader_registry::start() {
  thread_ = std::thread([this] { run_(); });
}

void trader_registry::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stopped_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::optional<trader_analysis_settings> trader_registry::analysis_settings(
    const std::string& trader) const {
  std::lock_guard lock(mutex_);
  auto found = analysis_.find(trader);
  if (found == analysis_.end()) return std::nullopt;
  return found->second;
}

std::string trader_registry::owner_tier() const {
  std::lock_guard lock(mutex_);
  return owner_tier_;
}

// Its own transaction, so a project without migration 0007 still loads its traders.
void trader_registry::read_owner_tier_() {
  std::string tier, error;
  const auto failure = session_.transact(
      [&](pqxx::transaction_base& t) {
        const auto row = t.exec_params1("SELECT coalesce(vyx.user_tier($1::uuid), '')", options_.user_id);
        tier = row[0].c_str();
      },
      error);
  std::lock_guard lock(mutex_);
  if (failure != pg_failure::none) {
    if (!tier_warned_) spdlog::warn("trader registry: the owner's tier is not readable (no analysis): {}", error);
    tier_warned_ = true;
    return;
  }
  if (tier != owner_tier_) spdlog::info("trader registry: owner's tier '{}'", tier);
  owner_tier_ = tier;
}

bool trader_registry::reconcile_(std::vector<trader_spec>& specs, std::string& error) {
  std::vector<trader_record> rows;
  std::map<std::string, std::string> filters;
  std::map<std::string, trader_analysis_settings> analysis;
  const bool with_analysis = options_.read_analysis_settings;
  const auto fetching = std::chrono::steady_clock::now();
  compile_time_ = {};
  if (session_.transact(
          [&](pqxx::transaction_base& t) {
            for (const auto& row : t.exec_params(
                     with_analysis ? select_traders_with_analysis : select_traders, options_.user_id)) {
              trader_record r;
              r.id = row[0].c_str();
              r.name = row[1].c_str();
              r.enabled = row[2].as<bool>();
              r.language = row[3].c_str();
              filters[r.id] = row[4].c_str();
              r.code_hash = row[5].c_str();
              if (with_analysis) analysis[r.id] = {row[6].as<bool>(), row[7].c_str()};
              rows.push_back(std::move(r));
            }
          },
          error) != pg_failure::none)
    return false;
  fetch_time_ = std::chrono::steady_clock::now() - fetching;
  {
    std::lock_guard lock(mutex_);
    ++stats_.reconciles;
    if (with_analysis) analysis_ = std::move(analysis);
  }
  if (with_analysis) read_owner_tier_();
  std::map<std::string, known_trader> next;
  for (auto& trader : rows) {
    known_trader known;
    if (auto it = known_.find(trader.id); it != known_.end()) known = it->second;
    known.enabled = trader.enabled;
    const bool changed = known.hash != trader.code_hash;
    if (changed) {
      known.hash = trader.code_hash;
      std::string problem;
      trader_build build;
      if (!decode_trader_filter(filters[trader.id], trader, problem)) {
        build.error = problem;
      } else if (trader.language != "cpp" && trader.language != "go") {
        build.error = "language '" + trader.language + "' is not supported (go or cpp)";
      } else {
        const auto began = std::chrono::steady_clock::now();
        build = compiler_.build(trader);
        compile_time_ += std::chrono::steady_clock::now() - began;
        spdlog::info("trader {} ({}): {} in {} ms", trader.id, trader.name,
                     build.ok ? "built" : "not built",
                     std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - began)
                         .count());
      }
      std::lock_guard lock(mutex_);
      ++stats_.compiles;
      if (build.ok) {
        known.plugin = build.plugin;
        known.indicator_ids = trader.indicator_ids;
        known.error.clear();
        max_history_bars_ = std::max(max_history_bars_, build.history_bars);
      } else {
        ++stats_.compile_failures;
        known.error = build.error;
      }
    }
    if (changed) unrecorded_.push_back({trader.id, known.hash, known.error, !known.plugin.empty()});
    if (changed && !known.error.empty())
      spdlog::error("trader {} ({}): {}{}", trader.id, trader.name, known.error,
                    known.plugin.empty() ? "" : " (its previous build keeps running)");
    if (!known.plugin.empty()) specs.push_back({trader.id, known.plugin, trader.enabled, {}, known.indicator_ids});
    next[trader.id] = std::move(known);
  }
  known_ = std::move(next);  // deleted traders drop out here
  return true;
}

void trader_registry::record_builds_() {
  for (const auto& build : unrecorded_) {
    std::string error;
    auto failure = session_.transact(
        [&](pqxx::transaction_base& t) {
          t.exec_params(upsert_build, build.id, options_.user_id,
                        build.error.empty() ? nullptr : build.error.c_str(), build.hash,
                        build.has_build);
        },
        error);
    if (failure != pg_failure::none)
      spdlog::warn("trader {}: build status not written: {}", build.id, error);
  }
  unrecorded_.clear();
}

void trader_registry::run_() {
  // A failed first load is retried at once.
  auto next_reconcile = std::chrono::steady_clock::now() +
                        (loaded_ ? options_.reconcile_period : std::chrono::milliseconds(0));
  std::unique_ptr<pqxx::connection> listener;
  struct receiver final : pqxx::notification_receiver {
    receiver(pqxx::connection_base& c, const std::string& channel, std::atomic<int>& count)
        : pqxx::notification_receiver(c, channel), count_(count) {}
    void operator()(const std::string&, int) override { ++count_; }
    std::atomic<int>& count_;
  };
  std::unique_ptr<receiver> subscription;
  std::atomic<int> notified{0};
  auto listen_backoff = std::chrono::milliseconds(500);
  auto next_listen = std::chrono::steady_clock::now();

  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    if (!options_.listen_url.empty() && !listener &&
        std::chrono::steady_clock::now() >= next_listen) {
      try {
        listener = std::make_unique<pqxx::connection>(options_.listen_url);
        subscription = std::make_unique<receiver>(*listener, options_.channel, notified);
        listen_backoff = std::chrono::milliseconds(500);
        ++notified;  // changes made while not listening: reconcile now
        std::lock_guard lock(mutex_);
        stats_.listening = true;
      } catch (const std::exception& e) {
        spdlog::warn("trader registry: cannot LISTEN ({}); reconciling every {} ms", e.what(),
                     options_.reconcile_period.count());
        subscription.reset();
        listener.reset();
        next_listen = std::chrono::steady_clock::now() + listen_backoff;
        listen_backoff = std::min(listen_backoff * 2, std::chrono::milliseconds(30000));
      }
    }
    // Wait in short slices, so stop() is prompt and a notification is acted on at once.
    const auto slice = std::chrono::milliseconds(200);
    if (listener) {
      try {
        listener->await_notification(0, static_cast<long>(slice.count()) * 1000);
      } catch (const std::exception& e) {
        spdlog::warn("trader registry: LISTEN connection lost: {}", e.what());
        subscription.reset();
        listener.reset();
        std::lock_guard lock(mutex_);
        stats_.listening = false;
      }
    } else {
      std::unique_lock lock(mutex_);
      stopped_.wait_for(lock, slice, [&] { return stopping_; });
    }
    const int notifications = notified.exchange(0);
    const bool due = std::chrono::steady_clock::now() >= next_reconcile;
    if (!notifications && !due) continue;
    spdlog::debug("trader registry: reconciling ({} notifications)", notifications);
    {
      std::lock_guard lock(mutex_);
      stats_.notifications += static_cast<std::uint64_t>(notifications);
    }
    std::vector<trader_spec> specs;
    std::string error;
    if (!reconcile_(specs, error)) {
      spdlog::warn("trader registry: reconcile failed (traders keep running): {}", error);
      next_reconcile = std::chrono::steady_clock::now() + std::min(options_.reconcile_period,
                                                                   std::chrono::milliseconds(5000));
      continue;
    }
    next_reconcile = std::chrono::steady_clock::now() + options_.reconcile_period;
    if (loaded_ && same_specs(specs, applied_)) {
      record_builds_();
      continue;
    }
    loaded_ = true;
    // The phases of a change before the scheduler's next tick (BENCHMARKS.md, "Postgres").
    using std::chrono::duration_cast;
    using ms = std::chrono::milliseconds;
    spdlog::info("trader registry: {} traders changed (fetch {} ms, compile {} ms), switching at "
                 "the next tick",
                 specs.size(), duration_cast<ms>(fetch_time_).count(),
                 duration_cast<ms>(compile_time_).count());
    applied_ = specs;
    {
      std::lock_guard lock(mutex_);
      ++stats_.reloads;
    }
    apply_(std::move(specs));
    record_builds_();
  }
}

}  // namespace vyx::runtime
