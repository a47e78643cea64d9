// What a plugin hands back is untrusted: every field the host reads from a
// filter's output is checked here, and a violation becomes a fault of that
// trader with a reason. Host-side verdicts travel from the worker to the pool
// as status codes above the ABI's range, next to the plugin's own statuses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vyx/abi.h"
#include "vyx/runtime/pool/worker_pool.hpp"

namespace vyx::runtime {

// Verdicts of check_filter_output (never returned by a plugin: the ABI's
// statuses are small numbers).
enum host_verdict : vyx_status {
  verdict_bad_struct = 0x1000,     // struct_size, values or value_capacity changed
  verdict_bad_matched = 0x1001,    // matched neither 0 nor 1
  verdict_bad_count = 0x1002,      // value_count over value_capacity
  verdict_bad_name = 0x1003,       // a name without its NUL, or not UTF-8
  verdict_duplicate_name = 0x1004,  // two values under one name
  verdict_over_budget = 0x1005,     // over its CPU budget for the tick: skipped for the rest of it
  verdict_over_window_budget = 0x1006  // over its average budget across its recent ticks
};

// The host's verdict on a filter call's output: VYX_OK when every field is
// what the ABI allows. `given` is the struct as the host passed it in.
vyx_status check_filter_output(const vyx_filter_output& out, const vyx_filter_output& given);

// How a non-benign status, the plugin's or the host's verdict, is reported:
// the outcome it counts as and a sentence for the status and the summary.
struct status_fault {
  outcome what;
  std::string reason;
};
status_fault describe_status(vyx_status status);

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates).
bool valid_utf8(std::string_view text);

}  // namespace vyx::runtime
