// The backtest chart: one self-contained HTML page (inline SVG drawn by
// inline JS, no network) with candles, a trader's series and its signals.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "vyx/runtime/market/candle_store.hpp"
#include "vyx/runtime/screening/trader_signal.hpp"
#include "vyx/runtime/evaluation/results.hpp"

namespace vyx::runtime {

struct chart_panel {
  std::string trader;
  std::string symbol;
  vyx_timeframe timeframe = 0;
  std::vector<candle> candles;  // oldest first
  plot_result series;           // aligned with each series' own timeframe's candles
  std::vector<candle>
      series_candles[VYX_TIMEFRAME_COUNT];  // open times to place other timeframes' series
  std::vector<trader_signal> signals;       // those inside the candles' window are drawn
};

// After rendering, the page's <body> carries data-rendered="ok" and
// data-markers="N" (signal markers drawn), or data-error="..." on a JS error.
std::string render_chart_html(const std::string& title, const std::vector<chart_panel>& panels);
// Number of signals of `panel` that fall inside its candles (what the page draws).
std::size_t markers_in_window(const chart_panel& panel);

}  // namespace vyx::runtime
