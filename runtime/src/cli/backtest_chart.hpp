// The HTML chart of `vyx backtest --chart`: per loaded trader, the symbols
// with the most signals, their candles, the trader's series and its signals.
#pragma once

#include <string>
#include <vector>

#include "vyx/runtime/screening/scheduler.hpp"

namespace vyx::cli {

struct backtest_chart_options {
  std::string file;
  std::string title;
  unsigned symbols_per_trader = 6;
  vyx_timeframe_mask feed_timeframes = 0;  // charted for a trader that names none
};

// Throws std::runtime_error when the file cannot be written.
void write_backtest_chart(const backtest_chart_options& options,
                          const std::vector<runtime::trader_status>& statuses,
                          const std::vector<runtime::trader_signal>& signals,
                          const runtime::candle_store& store, runtime::worker_pool& pool);

}  // namespace vyx::cli
