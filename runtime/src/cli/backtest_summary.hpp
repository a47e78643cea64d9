// What `vyx backtest` reports at the end: the per-trader table and the
// signal quality, as text (stderr or --summary) and as JSON (--summary-json).
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "vyx/runtime/backtest/signal_quality.hpp"
#include "vyx/runtime/feeds/feed.hpp"
#include "vyx/runtime/screening/scheduler.hpp"

namespace vyx::cli {

struct backtest_outcome {
  const std::map<std::string, runtime::trader_totals>& totals;
  const std::vector<runtime::trader_status>& statuses;
  const std::vector<runtime::trader_quality>& qualities;  // one per measured trader
  std::uint64_t ticks = 0;
  double seconds = 0;
  runtime::feed_stats feed;
};

void write_summary(std::ostream& out, const backtest_outcome& outcome);
// One JSON object: the run, then per trader its totals, status and signal quality.
void write_summary_json(std::ostream& out, const backtest_outcome& outcome);

}  // namespace vyx::cli
