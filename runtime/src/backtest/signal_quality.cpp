// Signal quality: the trader's signals placed on the recorded candles, their
// forward returns pooled over symbols and per symbol, and the baselines.
#include "vyx/runtime/backtest/signal_quality.hpp"

#include <algorithm>
#include <map>

namespace vyx::runtime {

trader_quality measure_signal_quality(const std::string& trader, vyx_timeframe timeframe,
                                      const std::vector<trader_signal>& signals,
                                      const candle_history& history,
                                      const std::vector<std::string>& symbols) {
  trader_quality quality;
  quality.trader = trader;
  quality.timeframe = timeframe;
  std::map<std::string, std::size_t> symbol_index;
  for (std::size_t i = 0; i < symbols.size(); ++i) symbol_index.emplace(symbols[i], i);

  // Each symbol's signal candles, as indexes into its recorded closes.
  std::vector<std::vector<std::size_t>> at(symbols.size());
  for (const auto& s : signals) {
    if (s.trader != trader) continue;
    auto it = symbol_index.find(s.symbol);
    std::optional<std::size_t> index;
    if (s.timeframe == timeframe && it != symbol_index.end())
      index = history.index_of(it->second, timeframe, s.close_time);
    if (!index) {
      ++quality.unplaced;
      continue;
    }
    at[it->second].push_back(*index);
    ++quality.signals;
  }

  std::vector<std::size_t> with_signals;
  for (std::size_t i = 0; i < symbols.size(); ++i)
    if (!at[i].empty()) with_signals.push_back(i);
  std::stable_sort(with_signals.begin(), with_signals.end(), [&](std::size_t a, std::size_t b) {
    return at[a].size() != at[b].size() ? at[a].size() > at[b].size() : symbols[a] < symbols[b];
  });
  for (std::size_t i : with_signals) quality.symbols.push_back({symbols[i], at[i].size(), {}});

  std::vector<std::vector<double>> closes(symbols.size());
  for (std::size_t i = 0; i < symbols.size(); ++i) closes[i] = history.closes(i, timeframe);
  for (std::size_t horizon : forward_horizons) {
    return_sample pooled_signals, pooled_baseline;
    for (std::size_t k = 0; k < with_signals.size(); ++k) {
      const std::size_t i = with_signals[k];
      return_sample own_signals, own_baseline;
      add_forward_returns(closes[i], at[i], horizon, own_signals);
      add_forward_returns(closes[i], horizon, own_baseline);
      quality.symbols[k].horizons.push_back(
          {horizon, summarize_returns(own_signals), summarize_returns(own_baseline)});
    }
    for (std::size_t i = 0; i < symbols.size(); ++i) {
      add_forward_returns(closes[i], at[i], horizon, pooled_signals);
      add_forward_returns(closes[i], horizon, pooled_baseline);
    }
    quality.horizons.push_back(
        {horizon, summarize_returns(pooled_signals), summarize_returns(pooled_baseline)});
  }
  return quality;
}

}  // namespace vyx::runtime
