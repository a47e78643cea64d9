// Were a trader's signals any good? Forward returns after its signals at
// each horizon, against the same returns after every candle (the baseline),
// over all screened symbols and per symbol.
#pragma once

#include <string>
#include <vector>

#include "vyx/runtime/backtest/candle_history.hpp"
#include "vyx/runtime/backtest/forward_returns.hpp"
#include "vyx/runtime/screening/trader_signal.hpp"

namespace vyx::runtime {

struct horizon_quality {
  std::size_t horizon = 0;  // candles of the trader's timeframe
  return_stats signals;     // after the trader's signals
  return_stats baseline;    // after every candle of the same symbols
};

struct symbol_quality {
  std::string symbol;
  std::size_t signals = 0;
  std::vector<horizon_quality>
      horizons;  // one per forward_horizons; baseline: this symbol's candles
};

struct trader_quality {
  std::string trader;
  vyx_timeframe timeframe = 0;  // the trader's signal timeframe, the returns' candles
  std::size_t signals = 0;      // on that timeframe and found in the history
  std::size_t unplaced = 0;     // on another timeframe or a candle not recorded: not measured
  std::vector<horizon_quality> horizons;  // baseline: every candle of every screened symbol
  std::vector<symbol_quality> symbols;    // those with signals, the most first (ties by name)
};

// `symbols` names the history's symbol indexes (the store's order).
trader_quality measure_signal_quality(const std::string& trader, vyx_timeframe timeframe,
                                      const std::vector<trader_signal>& signals,
                                      const candle_history& history,
                                      const std::vector<std::string>& symbols);

}  // namespace vyx::runtime
