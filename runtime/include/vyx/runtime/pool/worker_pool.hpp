// Runs every trader over every symbol on a tick inside sandboxed worker
// processes, pins faults on the trader that caused them, and switches plugin
// generations at tick boundaries (hot reload).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "vyx/abi.h"
#include "vyx/runtime/evaluation/results.hpp"
#include "vyx/runtime/market/candle_store.hpp"
#include "vyx/runtime/pool/trader_status.hpp"

namespace vyx::runtime {

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
  // Appended (hardening): the same trader's average over its last
  // budget_window_ticks ticks, so one that stays just under the per-tick
  // budget on every tick is charged too (each tick over the average is an
  // over_budget fault, and faults quarantine as above). 0 = no window budget.
  std::chrono::milliseconds trader_window_budget{25};
  unsigned budget_window_ticks = 20;
  // Appended (--window): the newest closed candles per timeframe a Go
  // (platform) trader sees, handed to every trader as vyx_market.window_bars
  // (dialect traders ignore it). 0 = the platform's 250. A trader never sees
  // more than the store keeps (its capacity).
  std::uint32_t go_window_bars = 250;
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
  std::unique_ptr<impl> impl_;
};

}  // namespace vyx::runtime
