// Which candles a backtest keeps for the signal quality (each trader's signal
// timeframe) and the quality of every loaded trader's signals.
#pragma once

#include <optional>
#include <vector>

#include "vyx/runtime/backtest/candle_history.hpp"
#include "vyx/runtime/backtest/signal_quality.hpp"
#include "vyx/runtime/screening/scheduler.hpp"

namespace vyx::cli {

// The timeframe a trader's signals are on: the finest it requires that the
// data has (the scheduler's rule), the data's finest when it names none;
// none when the data has none of its timeframes.
std::optional<vyx_timeframe> signal_timeframe(const runtime::trader_status& status,
                                              vyx_timeframe_mask data_timeframes);
vyx_timeframe_mask signal_timeframes(const std::vector<runtime::trader_status>& statuses,
                                     vyx_timeframe_mask data_timeframes);

// One per loaded trader with a signal timeframe, in the order of `statuses`.
std::vector<runtime::trader_quality> measure_traders(
    const std::vector<runtime::trader_status>& statuses,
    const std::vector<runtime::trader_signal>& signals, const runtime::candle_history& history,
    const runtime::candle_store& store);

}  // namespace vyx::cli
