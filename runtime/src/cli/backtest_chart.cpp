// Chart panels from the store, the pool's series and the signals; rendered by html_chart.
#include "backtest_chart.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <bit>
#include <fstream>
#include <map>

#include "vyx/runtime/backtest/html_chart.hpp"

namespace vyx::cli {
using namespace vyx::runtime;

namespace {

std::vector<candle> candles_of(const candle_store& store, std::size_t symbol, vyx_timeframe tf) {
  vyx_candles v = store.view(symbol, tf);
  std::vector<candle> out(v.count);
  for (std::size_t i = 0; i < v.count; ++i)
    out[i] = candle{v.open_time[i], v.close_time[i],   v.open[i],
                    v.high[i],      v.low[i],          v.close[i],
                    v.volume[i],    v.quote_volume[i], v.taker_buy_base_volume[i],
                    v.trades[i]};
  return out;
}

// Symbol indexes, the most signals of `trader` first (ties in store order).
std::vector<std::size_t> symbols_by_signals(const std::string& trader,
                                            const std::vector<trader_signal>& signals,
                                            const candle_store& store) {
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
  for (const auto& [count, symbol] : ranked) symbols.push_back(symbol);
  return symbols;
}

chart_panel panel_for(const std::string& trader, std::size_t symbol, vyx_timeframe tf,
                      const std::vector<trader_signal>& signals, const candle_store& store,
                      worker_pool& pool) {
  chart_panel p;
  p.trader = trader;
  p.symbol = std::string(store.symbol(symbol));
  p.timeframe = tf;
  p.candles = candles_of(store, symbol, tf);
  for (vyx_timeframe other = 0; other < VYX_TIMEFRAME_COUNT; ++other)
    if (store.timeframes() & (1u << other)) p.series_candles[other] = candles_of(store, symbol, other);
  p.series = pool.run_series(trader, symbol);
  if (!p.series.error.empty()) spdlog::warn("chart: {} on {}: {}", trader, p.symbol, p.series.error);
  for (const auto& s : signals)
    if (s.trader == trader && s.symbol == p.symbol) p.signals.push_back(s);
  return p;
}

}  // namespace

void write_backtest_chart(const backtest_chart_options& options,
                          const std::vector<trader_status>& statuses,
                          const std::vector<trader_signal>& signals, const candle_store& store,
                          worker_pool& pool) {
  std::vector<chart_panel> panels;
  std::size_t markers = 0;
  for (const auto& st : statuses) {
    if (!st.loaded) continue;
    vyx_timeframe_mask usable =
        (st.required_timeframes ? st.required_timeframes : options.feed_timeframes) &
        store.timeframes();
    if (!usable) continue;
    auto tf = static_cast<vyx_timeframe>(std::countr_zero(usable));
    const auto ranked = symbols_by_signals(st.id, signals, store);
    for (std::size_t k = 0; k < std::min<std::size_t>(options.symbols_per_trader, ranked.size());
         ++k) {
      chart_panel p = panel_for(st.id, ranked[k], tf, signals, store, pool);
      markers += markers_in_window(p);
      panels.push_back(std::move(p));
    }
  }
  const std::string& chart = options.file;
  std::ofstream file(chart, std::ios::binary);
  file << render_chart_html(options.title, panels);
  if (!file) throw std::runtime_error("cannot write " + chart);
  spdlog::info("chart: {} ({} panels, {} signal markers in view)", chart, panels.size(), markers);
}

}  // namespace vyx::cli
