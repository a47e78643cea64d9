// Building a Go body through the real compiler and running the plugin in a
// forked child over a synthetic market, so a fault (trap) of the trader is
// observed as the runtime observes it: the process that ran it dies.
#pragma once

#include <string>

#include "vyx/compiler/compiler.hpp"

namespace vyx::test {

vyx::compiler::compiler& go_compiler();
vyx::compiler::compile_result build_go(const std::string& body, const std::string& name);
vyx::compiler::compile_result check_go(const std::string& body);

enum class run_end { matched, not_matched, fault, bad_status, no_plugin };
// Builds (REQUIREs success) and evaluates once; 1m/5m/15m/1h candles present.
run_end run_go(const std::string& body, const std::string& name);
const char* to_string(run_end e);
// Runs `body` (a Go body that returns true exactly when the construct it
// exercises behaved as Go specifies) and checks that it matched.
void expect_true(const char* name, const char* body);

}  // namespace vyx::test
