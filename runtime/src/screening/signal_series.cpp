// A signal's chart series as {x, y} points, under the platform's contract.
#include "vyx/runtime/screening/signal_series.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "vyx/runtime/registry/platform_series.hpp"

namespace vyx::runtime {

std::vector<signal_series> signal_series_points(const plot_result& plot,
                                                const candle_store& store, std::size_t symbol) {
  std::vector<signal_series> out;
  out.reserve(plot.series.size());
  for (const auto& s : plot.series) {
    signal_series converted{s.name, {}};
    if (s.kind == VYX_PLOT_POINTS) {
      converted.points.reserve(s.values.size() / 2);
      for (std::size_t i = 0; i + 1 < s.values.size(); i += 2)
        converted.points.push_back({s.values[i], s.values[i + 1]});
    } else if (symbol < store.symbol_count() && (store.timeframes() & (1u << s.timeframe))) {
      const vyx_candles candles = store.view(symbol, s.timeframe);
      const std::size_t n = std::min<std::size_t>(s.values.size(), candles.count);
      converted.points.reserve(n);
      for (std::size_t i = 0; i < n; ++i)
        converted.points.push_back({static_cast<double>(candles.close_time[i]), s.values[i]});
    }
    out.push_back(std::move(converted));
  }
  return out;
}

signal_series_source::signal_series_source(worker_pool& pool, const candle_store& store)
    : pool_(pool), store_(store) {
  for (std::size_t i = 0; i < store_.symbol_count(); ++i)
    symbol_index_.emplace(std::string(store_.symbol(i)), i);
}

void signal_series_source::attach(trader_signal& signal,
                                  const std::vector<std::string>& indicator_ids) {
  signal.series.clear();
  auto found = symbol_index_.find(signal.symbol);
  // A symbol the live feed added after this source was made is found by a scan.
  const auto symbol =
      found != symbol_index_.end() ? std::optional(found->second) : store_.find_symbol(signal.symbol);
  if (!symbol) return;
  const plot_result plot = pool_.run_series(signal.trader, *symbol);
  if (!plot.error.empty()) {
    spdlog::debug("signal {} on {}: no series, series() failed: {}", signal.trader,
                  signal.symbol, plot.error);
    return;
  }
  // The platform drops a seriesCode's whole output when an indicator id is
  // not one of its keys; the signal itself is still saved.
  if (!platform_series_complete(plot, indicator_ids)) {
    std::string ids;
    for (const auto& id : indicator_ids) ids += (ids.empty() ? "" : ", ") + id;
    spdlog::debug("signal {} on {}: series dropped, not every filter indicator id ({}) is a "
                  "series name",
                  signal.trader, signal.symbol, ids);
    return;
  }
  signal.series = signal_series_points(plot, store_, *symbol);
}

}  // namespace vyx::runtime
