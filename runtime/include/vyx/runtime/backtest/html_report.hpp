// The backtest report: one self-contained HTML page (the chart library, the
// page's script and the data inlined; no network, no file beside it) that
// draws one trader and symbol at a time with a time axis, zoom, crosshair,
// the trader's series and its signals, and the signal quality tables.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "vyx/runtime/backtest/signal_quality.hpp"
#include "vyx/runtime/market/candle_store.hpp"
#include "vyx/runtime/screening/trader_signal.hpp"

namespace vyx::runtime {

// A series as the page draws it: (time in Unix ms, value) points, whatever
// the plot kind they came from (NaN: a gap).
struct report_series {
  std::string name;
  std::string kind = "line";  // "line", "bar" (a histogram) or "points" (markers, no line)
  bool panel = false;         // in its own pane under the price, else over the candles
  std::vector<std::pair<std::int64_t, double>> points;
};

// One signal drawn on its candle, with the values the trader emitted.
struct report_marker {
  std::int64_t candle_open_time = 0;  // the candle that closed at the signal's time
  const trader_signal* signal = nullptr;
};

// One symbol of one trader: candles by key into backtest_report::candles.
struct report_chart {
  std::string symbol;
  vyx_timeframe timeframe = 0;
  std::size_t signals = 0;
  std::string candles;
  std::vector<report_series> series;
  std::vector<report_marker> markers;  // oldest first
};

struct report_trader {
  std::string id;
  trader_quality quality;
  std::vector<report_chart> charts;  // the symbol picker's order: the most signals first
};

struct backtest_report {
  std::string title;
  std::size_t symbol_count = 0;  // screened
  // Candles (oldest first) shared by every trader charting that symbol and
  // timeframe, keyed "SYMBOL tf"; they must outlive the rendering.
  std::map<std::string, std::span<const candle>> candles;
  std::vector<report_trader> traders;
};

// After loading, the page's <body> carries data-rendered="ok", data-trader,
// data-symbol, data-markers (signal markers drawn), data-candles,
// data-series, data-panes, and data-error="..." on any script error.
// The URL's fragment picks what is shown first: #trader=ID&symbol=SYMBOL.
std::string render_report_html(const backtest_report& report);
// The data the page embeds (JSON, with "<" escaped so it cannot end the script).
std::string report_data_json(const backtest_report& report);

}  // namespace vyx::runtime
