// Signal timeframes and per-trader signal quality for `vyx backtest`.
#include "backtest_quality.hpp"

#include <bit>

namespace vyx::cli {
using namespace vyx::runtime;

std::optional<vyx_timeframe> signal_timeframe(const trader_status& status,
                                              vyx_timeframe_mask data_timeframes) {
  const vyx_timeframe_mask usable =
      (status.required_timeframes ? status.required_timeframes : data_timeframes) & data_timeframes;
  if (!usable) return std::nullopt;
  return static_cast<vyx_timeframe>(std::countr_zero(usable));
}

vyx_timeframe_mask signal_timeframes(const std::vector<trader_status>& statuses,
                                     vyx_timeframe_mask data_timeframes) {
  vyx_timeframe_mask mask = 0;
  for (const auto& st : statuses)
    if (auto tf = signal_timeframe(st, data_timeframes); st.loaded && tf) mask |= 1u << *tf;
  return mask;
}

std::vector<trader_quality> measure_traders(const std::vector<trader_status>& statuses,
                                            const std::vector<trader_signal>& signals,
                                            const candle_history& history,
                                            const candle_store& store) {
  std::vector<std::string> symbols;
  for (std::size_t i = 0; i < store.symbol_count(); ++i) symbols.emplace_back(store.symbol(i));
  std::vector<trader_quality> out;
  for (const auto& st : statuses) {
    if (!st.loaded) continue;
    if (auto tf = signal_timeframe(st, store.timeframes()))
      out.push_back(measure_signal_quality(st.id, *tf, signals, history, symbols));
  }
  return out;
}

}  // namespace vyx::cli
