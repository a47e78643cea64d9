// Gathers the report from the run: the history's candles, the pool's series
// (computed on the store's window, the newest candles), the signals and the
// signal quality; rendered by html_report.
#include "backtest_report.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <map>

#include "vyx/runtime/backtest/html_report.hpp"
#include "vyx/runtime/backtest/report_series.hpp"
#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::cli {
using namespace vyx::runtime;

namespace {

std::vector<candle> store_candles(const candle_store& store, std::size_t symbol, vyx_timeframe tf) {
  vyx_candles v = store.view(symbol, tf);
  std::vector<candle> out(v.count);
  for (std::size_t i = 0; i < v.count; ++i)
    out[i] = candle{v.open_time[i], v.close_time[i],   v.open[i],
                    v.high[i],      v.low[i],          v.close[i],
                    v.volume[i],    v.quote_volume[i], v.taker_buy_base_volume[i],
                    v.trades[i]};
  return out;
}

// Symbol indexes to chart: the most signals of the trader first (ties in store order).
std::vector<std::size_t> charted_symbols(const std::string& trader,
                                         const std::vector<trader_signal>& signals,
                                         const candle_store& store, unsigned limit) {
  std::map<std::string, std::size_t> per_symbol;
  for (const auto& s : signals)
    if (s.trader == trader) ++per_symbol[s.symbol];
  std::vector<std::pair<std::size_t, std::size_t>> ranked;  // (signals, symbol index)
  for (std::size_t i = 0; i < store.symbol_count(); ++i) {
    auto it = per_symbol.find(std::string(store.symbol(i)));
    ranked.emplace_back(it == per_symbol.end() ? 0 : it->second, i);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](auto& a, auto& b) { return a.first > b.first; });
  std::vector<std::size_t> symbols;
  for (std::size_t k = 0; k < std::min<std::size_t>(limit, ranked.size()); ++k)
    symbols.push_back(ranked[k].second);
  return symbols;
}

report_chart chart_for(const trader_quality& quality, std::size_t symbol,
                       const std::vector<trader_signal>& signals, const candle_history& history,
                       const candle_store& store, worker_pool& pool) {
  report_chart chart;
  chart.symbol = std::string(store.symbol(symbol));
  chart.timeframe = quality.timeframe;
  chart.candles = chart.symbol + ' ' + timeframe_name(quality.timeframe);
  const auto& bars = history.candles(symbol, quality.timeframe);
  for (const auto& s : signals) {
    if (s.trader != quality.trader || s.symbol != chart.symbol) continue;
    ++chart.signals;
    if (s.timeframe != quality.timeframe) continue;  // only the charted candles carry markers
    if (auto i = history.index_of(symbol, quality.timeframe, s.close_time))
      chart.markers.push_back({bars[*i].open_time, &s});
  }
  std::sort(chart.markers.begin(), chart.markers.end(),
            [](auto& a, auto& b) { return a.candle_open_time < b.candle_open_time; });

  plot_result plots = pool.run_series(quality.trader, symbol);
  if (!plots.error.empty())
    spdlog::warn("report: series of {} on {}: {}", quality.trader, chart.symbol, plots.error);
  for (const auto& s : plots.series) {
    const auto own = s.timeframe < VYX_TIMEFRAME_COUNT ? store_candles(store, symbol, s.timeframe)
                                                       : std::vector<candle>{};
    std::string error;
    if (auto series = report_series_from_plot(s, own, error))
      chart.series.push_back(std::move(*series));
    else
      spdlog::warn("report: {} on {}: {}", quality.trader, chart.symbol, error);
  }
  return chart;
}

}  // namespace

void write_backtest_report(const backtest_report_options& options,
                           const std::vector<trader_quality>& qualities,
                           const std::vector<trader_signal>& signals, const candle_history& history,
                           const candle_store& store, worker_pool& pool) {
  backtest_report report;
  report.title = options.title;
  report.symbol_count = store.symbol_count();
  std::size_t charts = 0, markers = 0;
  for (const auto& quality : qualities) {
    report_trader trader{quality.trader, quality, {}};
    for (std::size_t symbol :
         charted_symbols(quality.trader, signals, store, options.symbols_per_trader)) {
      report_chart chart = chart_for(quality, symbol, signals, history, store, pool);
      report.candles.emplace(chart.candles, history.candles(symbol, quality.timeframe));
      markers += chart.markers.size();
      trader.charts.push_back(std::move(chart));
    }
    charts += trader.charts.size();
    report.traders.push_back(std::move(trader));
  }
  std::ofstream file(options.file, std::ios::binary);
  file << render_report_html(report);
  if (!file) throw std::runtime_error("cannot write " + options.file);
  spdlog::info("report: {} ({} traders, {} charts, {} signal markers)", options.file,
               report.traders.size(), charts, markers);
}

}  // namespace vyx::cli
