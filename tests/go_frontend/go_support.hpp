// Building a Go body through the real compiler and running the plugin in a
// forked child over a synthetic market, so a fault (trap) of the trader is
// observed as the runtime observes it: the process that ran it dies.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vyx/compiler/compiler.hpp"

namespace vyx::test {

vyx::compiler::compiler& go_compiler();
vyx::compiler::compile_result build_go(const std::string& body, const std::string& name,
                                       const std::string& series = "");
vyx::compiler::compile_result check_go(const std::string& body, const std::string& series = "");

enum class run_end { matched, not_matched, fault, bad_status, no_plugin };
// What the market's host serves of the platform's indicators (VYX_IND_GO_*):
// nothing (the plugin computes them), the runtime's own go_indicator_cache
// (a run in which it served nothing ends as bad_status), or every window
// filled with 42.0 (to see where the SDK uses the host's values).
enum class go_host { none, shared, fake_42 };
// Builds (REQUIREs success) and evaluates once; 1m/5m/15m/1h candles present.
run_end run_go(const std::string& body, const std::string& name, go_host host = go_host::none);
const char* to_string(run_end e);
// Runs `body` (a Go body that returns true exactly when the construct it
// exercises behaved as Go specifies) and checks that it matched.
void expect_true(const char* name, const char* body, go_host host = go_host::none);

// What one filter call and one series call of a trader with seriesCode did.
struct series_run {
  run_end filter = run_end::no_plugin;
  int status = -1;  // the series call's vyx_status, -1 when it did not return
  struct plotted {
    std::string name;
    std::uint32_t kind = 0;
    std::vector<double> values;
  };
  std::vector<plotted> series;
};
// Builds body + series (REQUIREs success), calls filter then series once.
series_run run_go_series(const std::string& body, const std::string& series,
                         const std::string& name);

}  // namespace vyx::test
