// The 24 h ticker of one symbol computed from the candle store (see
// runtime/README.md, "Forming candles and the ticker").
#pragma once

#include <cstdint>

#include "vyx/abi.h"
#include "vyx/runtime/candle_store.hpp"

namespace vyx::runtime {

// The timeframe the ticker is computed from: the finest loaded one, no finer
// than `finest` and no coarser than 1h, whose capacity spans 24 h;
// VYX_TIMEFRAME_COUNT when there is none.
vyx_timeframe ticker_timeframe(const candle_store& store, vyx_timeframe finest);

// last_price = `last_close`; price_change_percent and quote_volume over the
// candles of ticker_timeframe() opening at or after end_ms - 24 h, plus its
// forming candle. NaN for both when the store does not reach back that far,
// or the chosen timeframe's candles do not reach end_ms.
vyx_ticker ticker_24h(const candle_store& store, std::size_t symbol_index, vyx_timeframe finest,
                      std::int64_t end_ms, double last_close);

}  // namespace vyx::runtime
