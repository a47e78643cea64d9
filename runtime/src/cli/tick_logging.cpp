// Faults and load failures to the log (stderr), one line each.
#include "tick_logging.hpp"

#include <spdlog/spdlog.h>

namespace vyx::cli {

void warn_faults(const runtime::tick_report& tick) {
  for (const auto& f : tick.faults)
    spdlog::warn("fault: trader {} on {}: {} ({})", f.trader_id, f.symbol, to_string(f.what),
                 f.reason);
}

void log_load_failures(const runtime::load_report& load) {
  for (const auto& [id, reason] : load.failed)
    spdlog::error("trader {} failed to load: {}", id, reason);
}

}  // namespace vyx::cli
