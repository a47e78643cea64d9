// Which streams go on which connection: every (symbol, timeframe) kline
// stream plus the all-market mini ticker, at most `per_connection` streams
// on one connection (Binance's limit is 1024).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "vyx/abi.h"

namespace vyx::runtime::binance {

std::string kline_stream(const std::string& symbol, vyx_timeframe timeframe);  // "btcusdt@kline_1m"
inline constexpr const char* mini_ticker_stream = "!miniTicker@arr";

struct stream_plan {
  std::vector<std::vector<std::string>> connections;
};

stream_plan plan_streams(const std::vector<std::string>& symbols, vyx_timeframe_mask timeframes,
                         std::size_t per_connection = 1024);

}  // namespace vyx::runtime::binance
