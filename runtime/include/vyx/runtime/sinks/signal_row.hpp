// A signal as the platform's `signals` row (PLATFORM.md, Signals), rendered
// once into a JSON object for the outbox; the shipper splits it into its
// COPY's columns (src/sinks/signal_columns.hpp).
#pragma once

#include <map>
#include <string>

#include "vyx/runtime/market/candle_store.hpp"
#include "vyx/runtime/screening/trader_signal.hpp"

namespace vyx::runtime {

struct signal_row_context {
  std::string user_id;     // signals.user_id
  std::string fly_app_id;  // signals.fly_app_id; empty = NULL
  std::size_t klines = 150;  // candles of the trigger interval in indicator_data.klines
};

class signal_row_renderer {
 public:
  signal_row_renderer(const candle_store& store, signal_row_context context);

  // trader_id, user_id, symbol, interval, timestamp, candle_time (the
  // candle's close), price_at_signal / change_percent_at_signal /
  // volume_at_signal (the 24 h ticker: last price, change %, quote volume;
  // 0 while the store does not reach back 24 h, as the platform writes
  // today), fly_app_id, and indicator_data: the signal's series as
  // {x: time ms, y} lists (y null for a gap), the values the trader emitted
  // as one-point {x, y} series (a series of the same name wins), and
  // "klines": the last candles as {x: close time, o, h, l, c, v}. Reads the
  // store: call between ticks.
  std::string render(const trader_signal& signal) const;

 private:
  const candle_store& store_;
  signal_row_context context_;
  std::map<std::string, std::size_t, std::less<>> symbol_index_;
};

}  // namespace vyx::runtime
