// One signal as sinks and the command see it: who matched, where, on which
// candle, at what price, with the values the plugin emitted and, for the
// sinks that store them, the trader's chart series as of that candle.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vyx/abi.h"
#include "vyx/runtime/evaluation/results.hpp"

namespace vyx::runtime {

// One point of a chart series: x a time in Unix ms, y NaN for a gap.
struct series_point {
  double x = 0, y = 0;
};

struct signal_series {
  std::string name;
  std::vector<series_point> points;
};

struct trader_signal {
  std::string trader;
  std::string symbol;
  vyx_timeframe timeframe = 0;
  std::int64_t close_time = 0;  // Unix ms of the candle's close
  double price = 0;             // that candle's close
  std::vector<signal_value> values;
  // Set only for a sink that wants_series() (signal_series_source); empty
  // when the trader has none, its series() failed or broke the platform's
  // indicator-id contract.
  std::vector<signal_series> series;
};

// {"trader":..,"symbol":..,"timeframe":"5m","close_time":..,"time":"2024-..Z","price":..,"values":{..}}
// NaN and infinities become null.
std::string to_json(const trader_signal& s);
std::string json_escape(std::string_view text);
std::string json_number(double value);  // shortest round-trip form, "null" if not finite
std::string iso8601_utc(std::int64_t unix_ms);

// The same, appended to `out`: a sink formats a tick's signals into one
// buffer, with no string of its own per signal or field.
void append_json(std::string& out, const trader_signal& s);
void append_json_escaped(std::string& out, std::string_view text);
void append_json_number(std::string& out, double value);
void append_iso8601_utc(std::string& out, std::int64_t unix_ms);

}  // namespace vyx::runtime
