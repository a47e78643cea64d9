// JSON form of a signal, shared by the JSON-lines sink, SQLite's values
// column and the chart.
#include "vyx/runtime/screening/trader_signal.hpp"

#include <charconv>
#include <cmath>
#include <ctime>

#include "evaluation/plugin_output.hpp"
#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime {

// Every output line must be valid UTF-8 JSON whatever a plugin or a feed
// put in a name: a byte that starts no well-formed character becomes U+FFFD.
// '<', '>' and '&' are escaped too, and U+2028/U+2029, so the same text is
// safe inside the chart's <script> block.
std::string json_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char ch = s[i];
    if (ch >= 0x80) {
      std::size_t len = 1;
      while (len < 4 && i + len < n && (s[i + len] & 0xc0) == 0x80) ++len;
      const std::string_view piece(text.data() + i, len);
      std::size_t valid = 0;  // the longest well-formed prefix of the piece
      for (std::size_t k = len; k > 1 && valid == 0; --k)
        if (valid_utf8(piece.substr(0, k))) valid = k;
      if (valid == 0) {
        out += "\\ufffd";
        ++i;
      } else if (piece.substr(0, valid) == "\xe2\x80\xa8" || piece.substr(0, valid) == "\xe2\x80\xa9") {
        out += ch == 0xe2 && s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029";
        i += valid;
      } else {
        out.append(piece.substr(0, valid));
        i += valid;
      }
      continue;
    }
    ++i;
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
      case '<':
      case '>':
      case '&': {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", ch);
        out += buf;
        break;
      }
      default:
        if (ch < 0x20 || ch == 0x7f) {
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
