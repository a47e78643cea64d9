// The whole run's candles of the signalling timeframes, copied from the store tick by tick.
#include "vyx/runtime/backtest/candle_history.hpp"

#include <algorithm>

namespace vyx::runtime {

candle_history::candle_history(std::size_t symbols, vyx_timeframe_mask timeframes)
    : timeframes_(timeframes),
      candles_(symbols, std::vector<std::vector<candle>>(VYX_TIMEFRAME_COUNT)) {}

void candle_history::record_tick(const candle_store& store, std::int64_t close_time,
                                 vyx_timeframe_mask closed) {
  const vyx_timeframe_mask wanted = closed & timeframes_ & store.timeframes();
  if (!wanted) return;
  const std::size_t symbols = std::min(candles_.size(), store.symbol_count());
  for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf) {
    if (!(wanted & (1u << tf))) continue;
    for (std::size_t s = 0; s < symbols; ++s) {
      const vyx_candles v = store.view(s, tf);
      if (v.count == 0) continue;
      const std::size_t i = v.count - 1;
      if (v.close_time[i] != close_time) continue;  // this symbol has no candle in this tick
      candles_[s][tf].push_back(candle{v.open_time[i], v.close_time[i], v.open[i], v.high[i],
                                       v.low[i], v.close[i], v.volume[i], v.quote_volume[i],
                                       v.taker_buy_base_volume[i], v.trades[i]});
    }
  }
}

const std::vector<candle>& candle_history::candles(std::size_t symbol, vyx_timeframe tf) const {
  static const std::vector<candle> none;
  if (symbol >= candles_.size() || tf >= VYX_TIMEFRAME_COUNT) return none;
  return candles_[symbol][tf];
}

std::vector<double> candle_history::closes(std::size_t symbol, vyx_timeframe tf) const {
  const auto& bars = candles(symbol, tf);
  std::vector<double> out(bars.size());
  std::transform(bars.begin(), bars.end(), out.begin(), [](const candle& c) { return c.close; });
  return out;
}

std::optional<std::size_t> candle_history::index_of(std::size_t symbol, vyx_timeframe tf,
                                                    std::int64_t close_time) const {
  const auto& bars = candles(symbol, tf);
  auto it = std::lower_bound(bars.begin(), bars.end(), close_time,
                             [](const candle& c, std::int64_t t) { return c.close_time < t; });
  if (it == bars.end() || it->close_time != close_time) return std::nullopt;
  return static_cast<std::size_t>(it - bars.begin());
}

}  // namespace vyx::runtime
