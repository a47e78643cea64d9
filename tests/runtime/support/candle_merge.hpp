// The tests' own, deliberately plain aggregation of one candle into a longer
// one, to check the runtime's forming candles against.
#pragma once

#include <algorithm>

#include "vyx/runtime/market/candle_store.hpp"

namespace vyx::test {

// `later` follows `into` in time: the high/low widen, the close moves on, the volumes add up.
inline void merge_later(runtime::candle& into, const runtime::candle& later) {
  into.high = std::max(into.high, later.high);
  into.low = std::min(into.low, later.low);
  into.close = later.close;
  into.volume += later.volume;
  into.quote_volume += later.quote_volume;
  into.taker_buy_base_volume += later.taker_buy_base_volume;
  into.trades += later.trades;
}

}  // namespace vyx::test
