// `vyx run` against the platform's Postgres (DATABASE_URL set): signals
// through the outbox sink, traders from the registry (unless a --traders
// folder is given), heartbeat in user_fly_apps. Configuration from the
// environment the machine gets (PLATFORM.md) plus `vyx run` options.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vyx/runtime/analysis/analysis_result_writer.hpp"
#include "vyx/runtime/analysis/analysis_sink.hpp"
#include "vyx/runtime/market/candle_store.hpp"
#include "vyx/runtime/registry/machine_heartbeat.hpp"
#include "vyx/runtime/registry/trader_compiler.hpp"
#include "vyx/runtime/registry/trader_registry.hpp"
#include "vyx/runtime/sinks/signal_sink.hpp"
#include "vyx/runtime/sinks/postgres_outbox_sink.hpp"

namespace vyx::cli {

struct postgres_mode_options {
  std::string database_url;  // DATABASE_URL
  std::string listen_url;    // DATABASE_LISTEN_URL, else DATABASE_URL unless it is the pooler (6543)
  std::string user_id;       // USER_ID
  std::string fly_app_name;  // FLY_APP_NAME (set by Fly on every machine)
  std::string compiler_url, compiler_token;  // VYX_COMPILER_URL, VYX_COMPILER_TOKEN
  std::filesystem::path outbox = "vyx-outbox.db";
  std::chrono::milliseconds reconcile{30000}, heartbeat{30000}, statement_timeout{10000};
  std::chrono::milliseconds drain{5000};  // shipping the outbox at exit
  bool listen = true;
  bool analysis = false;  // OPENROUTER_API_KEY set: the registry reads the analysis settings
};

// nullopt when DATABASE_URL is unset or empty (SQLite stays the default).
std::optional<postgres_mode_options> postgres_mode_from_environment();

class postgres_mode {
 public:
  explicit postgres_mode(postgres_mode_options options);  // throws on bad configuration
  ~postgres_mode();

  // The registry's first load (empty with a warning when Postgres does not
  // answer yet; the registry thread keeps trying). `apply` gets every later set.
  std::vector<runtime::trader_spec> load_traders(
      std::function<void(std::vector<runtime::trader_spec>)> apply);
  std::uint32_t max_history_bars() const;
  std::unique_ptr<runtime::signal_sink> make_sink(const runtime::candle_store& store);
  // Starts the registry thread (if traders come from Postgres) and the heartbeat.
  void start(std::function<bool()> healthy);
  void stop();  // the registry and heartbeat threads; the sink keeps draining until destroyed
  std::string metrics() const;  // Prometheus lines
  // The AI analysis with traders from Postgres (load_traders first): who
  // owns each trader and whether it is analysed, from the registry (never
  // blocks), and the writer of verdicts into signal_analyses.
  bool has_registry() const { return registry_ != nullptr; }
  runtime::analysis_subject_lookup analysis_subjects() const;
  std::shared_ptr<runtime::analysis_result_writer> make_analysis_writer() const;

 private:
  postgres_mode_options options_;
  std::unique_ptr<runtime::trader_compiler> compiler_;
  std::unique_ptr<runtime::trader_registry> registry_;
  std::unique_ptr<runtime::machine_heartbeat> heartbeat_;
  runtime::postgres_outbox_sink* sink_ = nullptr;  // owned by the caller, outlives metrics calls
};

}  // namespace vyx::cli
