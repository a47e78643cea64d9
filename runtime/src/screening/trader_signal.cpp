// JSON form of a signal, shared by the JSON-lines sink, SQLite's values
// column and the chart.
#include "vyx/runtime/screening/trader_signal.hpp"

#include <charconv>
#include <chrono>
#include <cmath>
#include <ctime>

#include "evaluation/plugin_output.hpp"
#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime {

namespace {

// The bytes json_escape passes through as they are: printable ASCII other
// than the quote, the backslash and the three escaped for <script> blocks.
bool plain(unsigned char ch) {
  return ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\' && ch != '<' && ch != '>' && ch != '&';
}

void append_unicode_escape(std::string& out, unsigned char ch) {
  static constexpr char hex[] = "0123456789abcdef";
  const char buf[6] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 0xf]};
  out.append(buf, sizeof buf);
}

template <class Integer>
void append_integer(std::string& out, Integer value) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

// Two or more digits, zero-padded, as printf's %02d / %03d / %04d do for
// values in range.
void append_padded(std::string& out, unsigned value, int width) {
  char buf[8];
  for (int i = width - 1; i >= 0; --i, value /= 10) buf[i] = static_cast<char>('0' + value % 10);
  out.append(buf, static_cast<std::size_t>(width));
}

}  // namespace

// Every output line must be valid UTF-8 JSON whatever a plugin or a feed
// put in a name: a byte that starts no well-formed character becomes U+FFFD.
// '<', '>' and '&' are escaped too, and U+2028/U+2029, so the same text is
// safe inside the chart's <script> block.
void append_json_escaped(std::string& out, std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    // Runs of plain bytes (nearly every name) go in with one append.
    std::size_t run = i;
    while (run < n && plain(s[run])) ++run;
    out.append(text.data() + i, run - i);
    i = run;
    if (i == n) break;
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
      default:  // '<', '>', '&' and the other control bytes
        append_unicode_escape(out, ch);
    }
  }
}

std::string json_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_json_escaped(out, text);
  return out;
}

void append_json_number(std::string& out, double value) {
  char buf[32];
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  if (ec == std::errc{})
    out.append(buf, end);
  else
    out += "null";
}

std::string json_number(double value) {
  std::string out;
  append_json_number(out, value);
  return out;
}

void append_iso8601_utc(std::string& out, std::int64_t unix_ms) {
  // Years 1970-9999 by calendar arithmetic (no gmtime_r, which takes glibc's
  // time zone lock, nor printf); anything else as printf writes it.
  constexpr std::int64_t year_10000_ms = 253'402'300'800'000;
  if (unix_ms < 0 || unix_ms >= year_10000_ms) {
    out += iso8601_utc(unix_ms);
    return;
  }
  using namespace std::chrono;
  const sys_days day{days{unix_ms / 86'400'000}};
  const year_month_day date{day};
  auto in_day = static_cast<unsigned>(unix_ms % 86'400'000);
  append_padded(out, static_cast<unsigned>(static_cast<int>(date.year())), 4);
  out += '-';
  append_padded(out, static_cast<unsigned>(date.month()), 2);
  out += '-';
  append_padded(out, static_cast<unsigned>(date.day()), 2);
  out += 'T';
  append_padded(out, in_day / 3'600'000, 2);
  out += ':';
  append_padded(out, in_day / 60'000 % 60, 2);
  out += ':';
  append_padded(out, in_day / 1000 % 60, 2);
  out += '.';
  append_padded(out, in_day % 1000, 3);
  out += 'Z';
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

void append_json(std::string& out, const trader_signal& s) {
  out += "{\"trader\":\"";
  append_json_escaped(out, s.trader);
  out += "\",\"symbol\":\"";
  append_json_escaped(out, s.symbol);
  out += "\",\"timeframe\":\"";
  out += timeframe_name(s.timeframe);
  // A tick's signals share their close time: its two forms are formatted
  // once per thread and close time, not once per signal.
  thread_local std::int64_t cached_close_time = 0;
  thread_local std::string cached_time;  // ","close_time":N,"time":"...","price":
  if (cached_time.empty() || cached_close_time != s.close_time) {
    cached_time.clear();
    cached_time += "\",\"close_time\":";
    append_integer(cached_time, s.close_time);
    cached_time += ",\"time\":\"";
    append_iso8601_utc(cached_time, s.close_time);
    cached_time += "\",\"price\":";
    cached_close_time = s.close_time;
  }
  out += cached_time;
  append_json_number(out, s.price);
  out += ",\"values\":{";
  for (std::size_t i = 0; i < s.values.size(); ++i) {
    if (i) out += ',';
    out += '"';
    append_json_escaped(out, s.values[i].name);
    out += "\":";
    append_json_number(out, s.values[i].value);
  }
  out += "}}";
}

std::string to_json(const trader_signal& s) {
  std::string out;
  append_json(out, s);
  return out;
}

}  // namespace vyx::runtime
