// What evaluating traders yields: outcomes, matches, faults, a tick's result
// and a trader's chart series. Shared by the worker, the pool and everything
// above them, without the pool itself.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "vyx/abi.h"

namespace vyx::runtime {

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

}  // namespace vyx::runtime
