// Every closed candle a backtest screened, for the timeframes its traders
// signal on. The candle store keeps only the newest `capacity` candles per
// ring; forward returns and the report need the whole run.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "vyx/runtime/market/candle_store.hpp"

namespace vyx::runtime {

class candle_history {
 public:
  // Records `timeframes` (a mask) of every symbol of a store with `symbols` symbols.
  candle_history(std::size_t symbols, vyx_timeframe_mask timeframes);

  vyx_timeframe_mask timeframes() const { return timeframes_; }
  std::size_t symbol_count() const { return candles_.size(); }

  // Call once per tick, after the store holds the tick's candles: appends each
  // recorded timeframe's newest candle when it closed at `close_time`.
  void record_tick(const candle_store& store, std::int64_t close_time, vyx_timeframe_mask closed);

  // Oldest first; empty for a timeframe that is not recorded.
  const std::vector<candle>& candles(std::size_t symbol, vyx_timeframe tf) const;
  std::vector<double> closes(std::size_t symbol, vyx_timeframe tf) const;
  // The index of the candle that closed at `close_time`, if recorded.
  std::optional<std::size_t> index_of(std::size_t symbol, vyx_timeframe tf,
                                      std::int64_t close_time) const;

 private:
  vyx_timeframe_mask timeframes_;
  std::vector<std::vector<std::vector<candle>>> candles_;  // [symbol][timeframe]
};

}  // namespace vyx::runtime
