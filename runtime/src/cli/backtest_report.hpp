// The HTML report of `vyx backtest --chart`: per loaded trader, the symbols
// with the most signals (the whole run's candles, the trader's series, its
// signals) and the signal quality of all its signals.
#pragma once

#include <string>
#include <vector>

#include "vyx/runtime/backtest/candle_history.hpp"
#include "vyx/runtime/backtest/signal_quality.hpp"
#include "vyx/runtime/screening/scheduler.hpp"

namespace vyx::cli {

struct backtest_report_options {
  std::string file;
  std::string title;
  unsigned symbols_per_trader = 10;
};

// `qualities`: one per trader to report (measure_traders). Throws
// std::runtime_error when the file cannot be written.
void write_backtest_report(const backtest_report_options& options,
                           const std::vector<runtime::trader_quality>& qualities,
                           const std::vector<runtime::trader_signal>& signals,
                           const runtime::candle_history& history,
                           const runtime::candle_store& store, runtime::worker_pool& pool);

}  // namespace vyx::cli
