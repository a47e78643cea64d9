// The user's traders from Postgres: LISTEN on the `traders` trigger's
// channel for fast changes, plus a reconcile every period (by code hash and
// enabled flag) for the notifications lost while disconnected. New or edited
// code is compiled, and the whole set is handed to `apply` (the scheduler's
// request_reload: it takes effect at the next tick). Compile failures go to
// trader_runtime_status with their reason; the trader keeps its previous
// build if it had one, and the others are untouched.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "vyx/runtime/database/pg_session.hpp"
#include "vyx/runtime/registry/trader_compiler.hpp"
#include "vyx/runtime/registry/trader_record.hpp"
#include "vyx/runtime/pool/worker_pool.hpp"

namespace vyx::runtime {

struct registry_options {
  pg_options database;     // reads and status writes (may be the transaction pooler)
  std::string listen_url;  // a session connection for LISTEN; empty = none (reconcile only)
  std::string user_id;     // whose traders (traders.user_id)
  std::chrono::milliseconds reconcile_period{30000};
  std::string channel = "vyx_traders";
  // Also read what the AI analysis needs: traders.auto_analyze_signals, the
  // strategy instructions, and the owner's tier (vyx.user_tier of migration
  // 0007; a failure there leaves the tier unknown, never the traders unloaded).
  bool read_analysis_settings = false;
};

// A trader's analysis settings as the registry last read them.
struct trader_analysis_settings {
  bool auto_analyze = false;  // traders.auto_analyze_signals
  std::string instructions;   // traders.strategy: its "instructions", else its text
};

struct registry_stats {
  std::uint64_t reconciles = 0, notifications = 0, compiles = 0, compile_failures = 0,
                reloads = 0;
  bool listening = false;
};

class trader_registry {
 public:
  using apply_function = std::function<void(std::vector<trader_spec>)>;

  trader_registry(registry_options options, trader_compiler& compiler, apply_function apply);
  ~trader_registry();  // stops the thread
  trader_registry(const trader_registry&) = delete;
  trader_registry& operator=(const trader_registry&) = delete;

  // The first reconcile, on the caller's thread: the initial trader set
  // (empty with `error` set when Postgres could not be read).
  std::vector<trader_spec> load(std::string& error);
  void start();  // the listen/reconcile thread
  void stop();

  std::uint32_t max_history_bars() const;
  registry_stats stats() const;
  // Thread-safe (the scheduler's thread asks while the registry's thread
  // reconciles). nullopt: not one of the user's traders (or settings not read).
  std::optional<trader_analysis_settings> analysis_settings(const std::string& trader) const;
  std::string owner_tier() const;  // "" until read

 private:
  struct known_trader {
    std::string hash;
    bool enabled = true;
    std::filesystem::path plugin;  // last good build; empty if none
    std::vector<std::string> indicator_ids;  // those of the last good build's filter
    std::string error;             // last compile error; empty when the last build passed
  };

  // A build's outcome for the status table, written after the switch (a
  // Postgres round trip per trader is not worth delaying the new code for).
  struct build_record {
    std::string id, hash, error;
    bool has_build = false;
  };

  bool reconcile_(std::vector<trader_spec>& specs, std::string& error);
  void read_owner_tier_();
  void record_builds_();
  void run_();

  registry_options options_;
  trader_compiler& compiler_;
  apply_function apply_;
  pg_session session_;
  std::map<std::string, known_trader> known_;
  std::vector<trader_spec> applied_;
  bool loaded_ = false;  // a reconcile succeeded and its set was applied
  std::uint32_t max_history_bars_ = 0;
  std::vector<build_record> unrecorded_;  // registry thread (or load()) only
  // The last reconcile's phases, for the change-latency log line.
  std::chrono::steady_clock::duration fetch_time_{}, compile_time_{};

  mutable std::mutex mutex_;  // guards stats_ and the stop flag
  std::condition_variable stopped_;
  bool stopping_ = false;
  registry_stats stats_;
  std::map<std::string, trader_analysis_settings> analysis_;  // guarded by mutex_
  std::string owner_tier_;                                    // guarded by mutex_
  bool tier_warned_ = false;
  std::thread thread_;
};

}  // namespace vyx::runtime
