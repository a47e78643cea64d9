// The per-trader table `vyx backtest` prints at the end (stderr or --summary).
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "vyx/runtime/feeds/feed.hpp"
#include "vyx/runtime/screening/scheduler.hpp"

namespace vyx::cli {

void write_summary(std::ostream& out, const std::map<std::string, runtime::trader_totals>& totals,
                   const std::vector<runtime::trader_status>& statuses, std::uint64_t ticks,
                   double seconds, const runtime::feed_stats& feed);

}  // namespace vyx::cli
