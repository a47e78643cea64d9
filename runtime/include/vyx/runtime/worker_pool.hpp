// Runs every trader over every symbol on a tick inside sandboxed worker
// processes, pins faults on the trader that caused them, and switches plugin
// generations at tick boundaries (hot reload).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "vyx/abi.h"
#include "vyx/runtime/candle_store.hpp"

namespace vyx::runtime {

struct trader_spec {
  std::string id;                     // e.g. file stem
  std::filesystem::path plugin_path;  // a built .so
  bool enabled = true;
  // Why there is no plugin to load (e.g. its source does not compile): the
  // pool reports the trader as failed to load with this reason, keeping a
  // previous version that runs, so it shows wherever statuses are shown.
  std::string unavailable = {};
};

// How one evaluation or worker run ended (sandbox2's named outcomes).
// resource_limit: the trader used up a per-call resource of its own (its
// memory arena, its output buffers); bad_output: it handed back what the ABI
// does not allow (a forged count, matched = 7, a name that is not UTF-8);
// over_budget: it kept using more than its share of the tick's CPU time.
// internal_error is reserved for faults of ours.
enum class outcome {
  ok,
  violation,
  signaled,
  timeout,
  killed,
  internal_error,
  resource_limit,
  bad_output,
  over_budget
};
const char* to_string(outcome o);

struct signal_value {
  std::string name;
  double value = 0;
};

struct match {
  std::uint32_t trader_index = 0;  // into the current generation's traders
  std::uint32_t symbol_index = 0;
  std::vector<signal_value> values;
};

struct fault {
  std::string trader_id;
  std::string symbol;
  outcome what = outcome::internal_error;
  std::string reason;  // e.g. "seccomp: openat", "deadline 250 ms exceeded", "SIGSEGV"
};

struct tick_request {
  std::int64_t now_ms = 0;        // close time of the tick
  vyx_timeframe_mask closed = 0;  // timeframes whose candle closed now
};

struct tick_result {
  std::vector<match> matches;  // sorted by (trader_index, symbol_index): deterministic
  std::vector<fault> faults;
  std::uint64_t evaluations = 0;
  std::chrono::nanoseconds elapsed{0};
};

struct trader_status {
  std::string id;
  bool loaded = false;
  bool enabled = true;
  bool quarantined = false;
  std::string reason;  // why quarantined or failed to load
  vyx_timeframe_mask required_timeframes = 0;
  std::uint32_t history_bars = 0;
  std::uint64_t evaluations = 0, matches = 0, faults = 0;
};

struct load_report {
  std::vector<std::string> loaded;
  std::vector<std::pair<std::string, std::string>>
      failed;  // id, reason (old version keeps running)
};

struct worker_pool_options {
  unsigned min_workers = 1;
  unsigned max_workers = 0;  // 0 = the machine's CPUs
  std::chrono::milliseconds deadline{250};
  unsigned quarantine_faults = 3;  // within quarantine_window
  std::chrono::minutes quarantine_window{60};
  std::uint64_t address_space_limit = 1ull << 30;
  bool sandbox = true;  // false only for the in-process cost benchmark
  // Appended (runtime_api.md): worker process and scaling knobs.
  std::filesystem::path
      worker_executable;  // empty = $VYX_WORKER, beside the program, or the build's
  std::uint64_t worker_cpu_seconds = 600;           // RLIMIT_CPU per worker; recycled at half of it
  std::chrono::milliseconds load_deadline{5000};    // a worker must load its plugins within this
  std::chrono::milliseconds scale_cooldown{10000};  // no two worker-count changes closer than this
  std::chrono::microseconds scale_up_busy{2000};    // a tick busier than this adds a worker
  // Appended (hardening): the compiler's ELF audit (only vyx_plugin_entry
  // exported, allowlisted imports, libc/libm only, no init code...) run in
  // this process on each plugin file before any worker maps it, so a foreign
  // .so is refused with the audit's reason before any of its code can run.
  // Off only in tests of the layers below it, which must hold on their own.
  bool audit_plugins = true;
  // Appended (hardening): each trader's time budget for one tick within one
  // worker (its share of the tick, summed over the worker's symbols). Past it
  // the trader is skipped for the rest of that tick and charged an
  // over_budget fault, so a trader just under the per-call deadline on every
  // symbol cannot slow every tick without bound; quarantine_faults such ticks
  // within quarantine_window quarantine it. 0 = no budget.
  std::chrono::milliseconds trader_tick_budget{100};
};

struct worker_pool_metrics {
  std::uint64_t generation = 0;  // generations switched in so far
  std::uint64_t respawns = 0;
  std::vector<std::chrono::nanoseconds> recent_respawns;  // the last 1024 respawn times
  std::chrono::nanoseconds last_load{0};                  // how long the last load() took
  // Appended: evaluations of load()'s warm-up rounds, which build a new
  // generation's indicator states before it is switched in (results dropped).
  std::uint64_t warm_evaluations = 0;
  // Appended: the last load()'s two parts, starting the new generation's
  // workers (exec, plugins, lockdown) and its warm-up round.
  std::chrono::nanoseconds last_spawn{0}, last_warm{0};
};

struct plot_result {
  struct series {
    std::string name;
    vyx_plot_kind kind = VYX_PLOT_LINE;
    vyx_timeframe timeframe = 0;
    bool panel = false;
    std::vector<double> values;
  };
  std::vector<series> series;
  std::string error;  // empty on success
};

class worker_pool {
 public:
  worker_pool(const candle_store& store, worker_pool_options options);
  ~worker_pool();
  worker_pool(const worker_pool&) = delete;
  worker_pool& operator=(const worker_pool&) = delete;

  // Loads a new generation; it takes effect at the next run_tick. Plugins
  // that fail to load are reported, and their previous version keeps running.
  load_report load(const std::vector<trader_spec>& traders);
  // Evaluates every enabled, non-quarantined trader that requires one of the
  // closed timeframes over every symbol, against the store as it is now.
  tick_result run_tick(const tick_request& request);
  // The chart series of one trader for one symbol (backtest charts).
  plot_result run_series(const std::string& trader_id, std::size_t symbol_index);

  std::vector<trader_status> statuses() const;
  std::vector<std::string> trader_ids() const;  // current generation, by trader_index
  unsigned worker_count() const;
  worker_pool_metrics metrics() const;

 private:
  struct impl;
  impl* impl_;
};

}  // namespace vyx::runtime
