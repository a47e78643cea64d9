// What runs a generation's plugins. The pool's one seam between policy and
// mechanism: sandboxed worker processes in production, or an evaluator in
// this process (options.sandbox = false, only for the in-process cost
// benchmark). Everything above it (generations, quarantine, exclusion of
// faulted traders, ordering of results) is the same for both.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "protocol/worker_protocol.hpp"
#include "vyx/runtime/evaluation/results.hpp"
#include "vyx/runtime/pool/trader_status.hpp"

namespace vyx::runtime {

struct pool_context;
using protocol::plugin_info;

// One generation's plugins, started. Trader indices are indices into the
// specs it was started with.
class generation_runner {
 public:
  virtual ~generation_runner() = default;

  // A tick's round of `active` over every symbol. A trader whose fault this
  // round pins on it goes into `excluded` (its results are then dropped).
  virtual void run_tick(const std::vector<std::uint32_t>& active, const tick_request& request,
                        tick_result& result, std::set<std::uint32_t>& excluded) = 0;
  // A round whose results are dropped, so that the indicator states exist
  // before the generation is switched in. Returns the evaluations it made.
  virtual std::uint64_t warm_up(const std::vector<std::uint32_t>& traders,
                                const tick_request& request) = 0;
  virtual plot_result series(std::uint32_t trader, std::size_t symbol) = 0;
  virtual unsigned worker_count() const = 0;

  // After a tick's results are out, off its latency: recycling and scaling.
  virtual void after_tick(std::chrono::nanoseconds busy) = 0;
  // Retired: told to quit now, so that its exit does not compete with the
  // next tick for the CPUs.
  virtual void ask_to_quit() = 0;
  // Ended: nothing of it may wait on the caller (see pool_backend::reap_discarded).
  virtual void discard() = 0;
};

// What starting a generation gave: every plugin's report and what runs them,
// or, when it could not start, why.
struct started_generation {
  std::vector<plugin_info> infos;  // by trader index; empty when it did not start
  // Null when it did not start; may also be null when a plugin was refused
  // (the pool then leaves that trader out and starts again anyway).
  std::unique_ptr<generation_runner> runner;
  // When it did not start: the trader whose plugin stopped it, if the
  // failure is pinned on one (it is then left out and the rest tried again).
  std::optional<std::uint32_t> culprit;
  std::string reason;
};

class pool_backend {
 public:
  virtual ~pool_backend() = default;

  virtual started_generation start(const std::vector<trader_spec>& specs) = 0;
  // Collects what discarded generations left exiting, without waiting.
  virtual void reap_discarded() = 0;
  // What worker_count() says before any generation runs.
  virtual unsigned worker_count_before_load() const = 0;
};

std::unique_ptr<pool_backend> make_sandboxed_backend(pool_context& context);
std::unique_ptr<pool_backend> make_in_process_backend(pool_context& context);

}  // namespace vyx::runtime
