// One signal as sinks and the command see it: who matched, where, on which
// candle, at what price, with the values the plugin emitted.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vyx/abi.h"
#include "vyx/runtime/evaluation/results.hpp"

namespace vyx::runtime {

struct trader_signal {
  std::string trader;
  std::string symbol;
  vyx_timeframe timeframe = 0;
  std::int64_t close_time = 0;  // Unix ms of the candle's close
  double price = 0;             // that candle's close
  std::vector<signal_value> values;
};

// {"trader":..,"symbol":..,"timeframe":"5m","close_time":..,"time":"2024-..Z","price":..,"values":{..}}
// NaN and infinities become null.
std::string to_json(const trader_signal& s);
std::string json_escape(std::string_view text);
std::string json_number(double value);  // shortest round-trip form, "null" if not finite
std::string iso8601_utc(std::int64_t unix_ms);

}  // namespace vyx::runtime
