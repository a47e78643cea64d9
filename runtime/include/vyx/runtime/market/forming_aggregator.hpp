// Market state derived from closed candles between ticks: the forming candle
// of each coarser timeframe, aggregated from the finest timeframe's closes
// (a replay feed has closed candles only), and the 24 h ticker.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "vyx/runtime/market/candle_store.hpp"

namespace vyx::runtime {

struct ticker_window;  // src/ticker_24h.hpp

// Use: after appending each of a tick's closed candles to the store, call
// closed() with it; once all of them are in, end_tick() writes the forming
// candles and tickers of the symbols whose finest timeframe closed. Nothing
// it writes is later than that tick's close (no lookahead).
class forming_aggregator {
 public:
  explicit forming_aggregator(candle_store& store);
  ~forming_aggregator();  // out of line: ticker_window is internal

  void closed(std::uint32_t symbol_index, vyx_timeframe timeframe, const candle& bar);
  void end_tick();
  // The store gave the slot to another symbol (candle_store::reuse_symbol):
  // nothing of the one before carries over. Between ticks.
  void forget(std::uint32_t symbol_index);

 private:
  // A coarse candle being built; `covered_until` is the close time of the
  // last fine candle merged in, so no fine period is counted twice.
  struct partial {
    candle bar;
    std::int64_t covered_until = 0;
    bool active = false;
  };
  struct fine_close {
    std::uint32_t symbol_index;
    vyx_timeframe timeframe;
    candle bar;
  };

  void update_forming_(std::uint32_t symbol_index, vyx_timeframe fine, const candle& bar);
  void update_ticker_(std::uint32_t symbol_index, vyx_timeframe fine, const candle& bar);

  candle_store& store_;
  std::vector<vyx_timeframe_mask> seen_;  // per symbol: timeframes that have delivered a candle
  std::vector<std::array<partial, VYX_TIMEFRAME_COUNT>> partial_;
  std::vector<fine_close> tick_;  // this tick's closes, in feed order
  std::vector<ticker_window> tickers_;  // per symbol: the 24 h window's running sum
};

}  // namespace vyx::runtime
