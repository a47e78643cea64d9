// A signal's chart series: the trader's series() for the signal's symbol,
// evaluated right after the tick that matched (so as of the signal's
// candle), turned into {x, y} points and held to the platform's
// indicator-id contract. What signals.indicator_data carries besides the
// klines (PLATFORM.md, Signals).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "vyx/runtime/evaluation/results.hpp"
#include "vyx/runtime/market/candle_store.hpp"
#include "vyx/runtime/pool/worker_pool.hpp"
#include "vyx/runtime/screening/trader_signal.hpp"

namespace vyx::runtime {

// POINTS series keep their (x, y) pairs; LINE and BAR values get x = the
// close time of candle i of the series' timeframe in `store` (values past
// the store's candles have no time and are left out).
std::vector<signal_series> signal_series_points(const plot_result& plot,
                                                const candle_store& store, std::size_t symbol);

class signal_series_source {
 public:
  signal_series_source(worker_pool& pool, const candle_store& store);

  // Sets signal.series from one run_series of (signal.trader, signal.symbol).
  // Leaves them empty, the signal otherwise untouched, when series() fails,
  // the trader has none, or `indicator_ids` are not all series names.
  void attach(trader_signal& signal, const std::vector<std::string>& indicator_ids);

 private:
  worker_pool& pool_;
  const candle_store& store_;
  std::map<std::string, std::size_t, std::less<>> symbol_index_;
};

}  // namespace vyx::runtime
