// The 24 h ticker of one symbol computed from the candle store (see
// runtime/README.md, "Forming candles and the ticker").
#pragma once

#include <cstdint>

#include "vyx/abi.h"
#include "vyx/runtime/market/candle_store.hpp"

namespace vyx::runtime {

// The timeframe the ticker is computed from: the finest loaded one, no finer
// than `finest` and no coarser than 1h, whose capacity spans 24 h;
// VYX_TIMEFRAME_COUNT when there is none.
vyx_timeframe ticker_timeframe(const candle_store& store, vyx_timeframe finest);

// One symbol's running sum of the closed candles' quote volume in the
// window, so a tick adds the candles that entered and subtracts those that
// left instead of summing a day of candles; summed afresh every
// `resum_every` updates so rounding cannot build up.
struct ticker_window {
  static constexpr std::uint32_t resum_every = 512;
  vyx_timeframe timeframe = VYX_TIMEFRAME_COUNT;
  std::int64_t first_open = 0;  // the window's closed candles open in [first_open, last_open]
  std::int64_t last_open = 0;
  double closed_quote_volume = 0;
  std::uint32_t updates = 0;
  bool valid = false;
};

// last_price = `last_close`; price_change_percent and quote_volume over the
// candles of ticker_timeframe() opening at or after end_ms - 24 h, plus its
// forming candle. NaN for both when the store does not reach back that far,
// or the chosen timeframe's candles do not reach end_ms. `window` is the
// symbol's state from its previous call (start with a default one).
vyx_ticker ticker_24h(const candle_store& store, std::size_t symbol_index, vyx_timeframe finest,
                      std::int64_t end_ms, double last_close, ticker_window& window);

}  // namespace vyx::runtime
