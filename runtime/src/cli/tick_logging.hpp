// The log lines `vyx run` and `vyx backtest` both write about a tick: its
// faults, and the traders a new generation could not load.
#pragma once

#include "vyx/runtime/screening/scheduler.hpp"

namespace vyx::cli {

void warn_faults(const runtime::tick_report& tick);
void log_load_failures(const runtime::load_report& load);

}  // namespace vyx::cli
