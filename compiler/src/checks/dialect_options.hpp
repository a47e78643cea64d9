// What the dialect's rules are told from outside: their limits and the job's
// own inputs. Defaults are the dialect's documented limits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vyx::compiler::checks {

struct dialect_options {
  // dialect-stack-frame-limit: the locals of one function, summed.
  std::uint64_t stack_frame_limit_bytes = 64 * 1024;
  // dialect-unknown-timeframe: timeframes the job names besides those the
  // code asks Market::klines for (e.g. a Go trader's requiredTimeframes).
  std::vector<std::string> hinted_timeframes;
  // dialect-call-allowlist: the code is the Go front end's translation, which
  // may call the SDK's hooks for it (vyx::sdk_detail::go_*); code a user
  // wrote may not, it would reach the host's shared memory.
  bool go_translation = false;
};

}  // namespace vyx::compiler::checks
