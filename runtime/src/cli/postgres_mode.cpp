// Wiring of the Postgres side into `vyx run`.
#include "postgres_mode.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include "local_trader_compiler.hpp"
#include "vyx/runtime/analysis/postgres_analysis_writer.hpp"
#include "vyx/runtime/registry/compile_service_client.hpp"

namespace vyx::cli {
namespace fs = std::filesystem;
using namespace vyx::runtime;

namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

}  // namespace

std::optional<postgres_mode_options> postgres_mode_from_environment() {
  postgres_mode_options options;
  options.database_url = env("DATABASE_URL");
  if (options.database_url.empty()) return std::nullopt;
  options.listen_url = env("DATABASE_LISTEN_URL");
  // The transaction pooler cannot hold a LISTEN: only a session connection can.
  if (options.listen_url.empty() && options.database_url.find(":6543") == std::string::npos)
    options.listen_url = options.database_url;
  options.user_id = env("USER_ID");
  options.fly_app_name = env("FLY_APP_NAME");
  options.compiler_url = env("VYX_COMPILER_URL");
  options.compiler_token = env("VYX_COMPILER_TOKEN");
  return options;
}

postgres_mode::postgres_mode(postgres_mode_options options) : options_(std::move(options)) {
  if (options_.user_id.empty())
    throw std::runtime_error("DATABASE_URL is set but USER_ID is not: whose traders and signals?");
}

postgres_mode::~postgres_mode() {
  stop();
}

void postgres_mode::stop() {
  if (registry_) registry_->stop();
  if (heartbeat_) heartbeat_->stop();
}

std::vector<trader_spec> postgres_mode::load_traders(
    std::function<void(std::vector<trader_spec>)> apply) {
  if (!options_.compiler_url.empty()) {
    // Signed artifacts only: the compile service's public key comes from
    // VYX_ARTIFACT_PUBLIC_KEY (the constructor says so when it is missing).
    auto source = artifact_source_config::from_environment().value_or(artifact_source_config{});
    source.compiler_url = options_.compiler_url;
    source.token = options_.compiler_token;
    compiler_ = std::make_unique<compile_service_client>(std::move(source));
    spdlog::info("traders are compiled by the compile service at {}", options_.compiler_url);
  } else {
    compiler_ = make_local_trader_compiler();
    if (!compiler_)
      throw std::runtime_error(
          "this vyx has no compiler library: set VYX_COMPILER_URL to a compile service");
  }
  registry_options registry;
  registry.database.url = options_.database_url;
  registry.database.statement_timeout = options_.statement_timeout;
  registry.listen_url = options_.listen ? options_.listen_url : "";
  registry.user_id = options_.user_id;
  registry.reconcile_period = options_.reconcile;
  registry.read_analysis_settings = options_.analysis;
  if (registry.listen_url.empty())
    spdlog::warn("no LISTEN connection (DATABASE_LISTEN_URL unset and DATABASE_URL is the "
                 "pooler, or --no-listen): trader changes are picked up every {} ms",
                 options_.reconcile.count());
  registry_ = std::make_unique<trader_registry>(registry, *compiler_, std::move(apply));
  std::string error;
  auto specs = registry_->load(error);
  if (!error.empty())
    spdlog::warn("traders not loaded from Postgres yet (retrying every {} ms): {}",
                 std::min<long>(options_.reconcile.count(), 5000), error);
  else
    spdlog::info("{} traders loaded from Postgres for user {}", specs.size(), options_.user_id);
  return specs;
}

std::uint32_t postgres_mode::max_history_bars() const {
  return registry_ ? registry_->max_history_bars() : 0;
}

std::unique_ptr<signal_sink> postgres_mode::make_sink(const candle_store& store) {
  postgres_sink_options sink;
  sink.database.url = options_.database_url;
  sink.database.statement_timeout = options_.statement_timeout;
  sink.outbox_file = options_.outbox;
  sink.rows.user_id = options_.user_id;
  sink.drain_on_close = options_.drain;
  auto made = std::make_unique<postgres_outbox_sink>(store, sink);
  sink_ = made.get();
  spdlog::info("signals go to Postgres ({}) through the outbox {}",
               pg_redacted_url(options_.database_url), options_.outbox.string());
  return made;
}

void postgres_mode::start(std::function<bool()> healthy) {
  if (registry_) registry_->start();
  heartbeat_options beat;
  beat.database.url = options_.database_url;
  beat.database.statement_timeout = options_.statement_timeout;
  beat.user_id = options_.user_id;
  beat.fly_app_name = options_.fly_app_name;
  beat.period = options_.heartbeat;
  heartbeat_ = std::make_unique<machine_heartbeat>(beat, std::move(healthy));
}

analysis_subject_lookup postgres_mode::analysis_subjects() const {
  const trader_registry* registry = registry_.get();
  const std::string user = options_.user_id;
  return [registry, user](const std::string& trader) -> std::optional<analysis_subject> {
    auto settings = registry ? registry->analysis_settings(trader) : std::nullopt;
    if (!settings) return std::nullopt;
    return analysis_subject{user, registry->owner_tier(), settings->auto_analyze, settings->instructions};
  };
}

std::shared_ptr<analysis_result_writer> postgres_mode::make_analysis_writer() const {
  pg_options database;
  database.url = options_.database_url;
  database.statement_timeout = options_.statement_timeout;
  database.application_name = "vyx-analysis";
  return std::make_shared<postgres_analysis_writer>(std::move(database));
}

std::string postgres_mode::metrics() const {
  std::ostringstream out;
  auto metric = [&](const char* name, const char* type, const char* help, auto value) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n'
        << name << ' ' << value << '\n';
  };
  if (sink_) {
    auto s = sink_->stats();
    metric("vyx_outbox_backlog", "gauge", "Signals in the outbox, not yet in Postgres.", s.backlog);
    metric("vyx_signals_shipped_total", "counter", "Signals Postgres acknowledged.", s.shipped);
    metric("vyx_postgres_batches_total", "counter", "Signal batches committed.", s.batches);
    metric("vyx_postgres_failures_total", "counter", "Failed batch attempts.", s.failures);
    metric("vyx_postgres_duplicate_resends_total", "counter",
           "Signal batches sent again, skipping signals Postgres already had.",
           s.duplicate_resends);
    metric("vyx_signals_dead_letter_total", "counter", "Signals Postgres refused for good.",
           s.dead_letters);
    metric("vyx_postgres_connected", "gauge", "Whether the sink holds a connection.",
           s.connected ? 1 : 0);
  }
  if (registry_) {
    auto r = registry_->stats();
    metric("vyx_registry_reconciles_total", "counter", "Trader reconciles with Postgres.",
           r.reconciles);
    metric("vyx_registry_notifications_total", "counter", "Trader change notifications.",
           r.notifications);
    metric("vyx_registry_compile_failures_total", "counter", "Trader builds that failed.",
           r.compile_failures);
    metric("vyx_registry_listening", "gauge", "Whether LISTEN is active.", r.listening ? 1 : 0);
  }
  if (auto* beat = heartbeat_.get()) metric("vyx_heartbeats_total", "counter", "Heartbeats written.", beat->beats());
  return out.str();
}

}  // namespace vyx::cli
