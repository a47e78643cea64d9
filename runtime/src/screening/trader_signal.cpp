// JSON form of a signal, shared by the JSON-lines sink, SQLite's values
// column and the chart.
#include "vyx/runtime/screening/trader_signal.hpp"

#include <charconv>
#include <cmath>
#include <ctime>

#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime {

std::string json_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  for (unsigned char ch : text) {
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (ch < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", ch);
          out += buf;
        } else {
          out += static_cast<char>(ch);
        }
    }
  }
  return out;
}

std::string json_number(double value) {
  if (!std::isfinite(value)) return "null";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return ec == std::errc{} ? std::string(buf, end) : "null";
}

std::string iso8601_utc(std::int64_t unix_ms) {
  std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(unix_ms % 1000));
  return buf;
}

std::string to_json(const trader_signal& s) {
  std::string out = "{\"trader\":\"" + json_escape(s.trader) + "\",\"symbol\":\"" +
                    json_escape(s.symbol) + "\",\"timeframe\":\"" + timeframe_name(s.timeframe) +
                    "\",\"close_time\":" + std::to_string(s.close_time) + ",\"time\":\"" +
                    iso8601_utc(s.close_time) + "\",\"price\":" + json_number(s.price) +
                    ",\"values\":{";
  for (std::size_t i = 0; i < s.values.size(); ++i) {
    if (i) out += ',';
    out += '"' + json_escape(s.values[i].name) + "\":" + json_number(s.values[i].value);
  }
  out += "}}";
  return out;
}

}  // namespace vyx::runtime
