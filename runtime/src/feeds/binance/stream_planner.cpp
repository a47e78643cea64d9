// Splitting the streams over connections.
#include "stream_planner.hpp"

#include <algorithm>
#include <cctype>

#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime::binance {

std::string kline_stream(const std::string& symbol, vyx_timeframe timeframe) {
  std::string s = symbol;
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s + "@kline_" + timeframe_name(timeframe);
}

stream_plan plan_streams(const std::vector<std::string>& symbols, vyx_timeframe_mask timeframes,
                         std::size_t per_connection) {
  per_connection = std::max<std::size_t>(per_connection, 1);
  std::vector<std::string> all{mini_ticker_stream};
  // A symbol's timeframes stay together, so one connection's backfill covers whole symbols.
  for (const auto& symbol : symbols)
    for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf)
      if (timeframes & (1u << tf)) all.push_back(kline_stream(symbol, tf));
  stream_plan plan;
  for (std::size_t i = 0; i < all.size(); i += per_connection)
    plan.connections.emplace_back(all.begin() + static_cast<std::ptrdiff_t>(i),
                                  all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), i + per_connection)));
  return plan;
}

}  // namespace vyx::runtime::binance
