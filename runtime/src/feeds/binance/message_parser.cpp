// Combined-stream frames to typed updates (simdjson on-demand, error codes only).
#include "message_parser.hpp"

#include <charconv>
#include <cmath>

#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime::binance {

bool parse_decimal(std::string_view text, double& value) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc{} && end == text.data() + text.size() && std::isfinite(value);
}

namespace {

template <typename T>
bool decimal_field(T& object, std::string_view key, double& out) {
  std::string_view text;
  return !object[key].get_string().get(text) && parse_decimal(text, out);
}

}  // namespace

message_kind message_parser::parse(const char* text, std::size_t size, std::size_t capacity) {
  simdjson::ondemand::document doc;
  if (capacity < size + simdjson::SIMDJSON_PADDING) return message_kind::malformed;
  if (parser_.iterate(text, size, capacity).get(doc)) return message_kind::malformed;
  simdjson::ondemand::object root;
  if (doc.get_object().get(root)) return message_kind::malformed;
  std::string_view stream;
  // A reply to SUBSCRIBE/UNSUBSCRIBE: {"result":null,"id":N}.
  if (root.find_field_unordered("stream").get_string().get(stream)) {
    root.reset();
    std::int64_t id = 0;
    if (!root.find_field_unordered("id").get_int64().get(id)) {
      reply_id_ = id;
      return message_kind::reply;
    }
    return message_kind::other;
  }
  if (stream == "!miniTicker@arr") {
    simdjson::ondemand::array data;
    if (root.find_field_unordered("data").get_array().get(data)) return message_kind::malformed;
    tickers_.clear();
    for (auto value : data) {
      simdjson::ondemand::object t;
      if (value.get_object().get(t)) return message_kind::malformed;
      mini_ticker m;
      if (t["E"].get_int64().get(m.event_time) || t["s"].get_string().get(m.symbol) ||
          !decimal_field(t, "c", m.last_price) || !decimal_field(t, "o", m.open_price) ||
          !decimal_field(t, "q", m.quote_volume))
        return message_kind::malformed;
      tickers_.push_back(m);
    }
    return message_kind::mini_tickers;
  }
  simdjson::ondemand::object data;
  if (root.find_field_unordered("data").get_object().get(data)) return message_kind::malformed;
  std::string_view event;
  if (data["e"].get_string().get(event)) return message_kind::malformed;
  if (event != "kline") return message_kind::other;
  return parse_kline_(data);
}

message_kind message_parser::parse_kline_(simdjson::ondemand::object data) {
  kline_update& k = kline_;
  if (data["E"].get_int64().get(k.event_time)) return message_kind::malformed;
  simdjson::ondemand::object bar;
  if (data["k"].get_object().get(bar)) return message_kind::malformed;
  std::string_view interval;
  candle& c = k.bar;
  if (bar["t"].get_int64().get(c.open_time) || bar["T"].get_int64().get(c.close_time) ||
      bar["s"].get_string().get(k.symbol) || bar["i"].get_string().get(interval) ||
      !decimal_field(bar, "o", c.open) || !decimal_field(bar, "c", c.close) ||
      !decimal_field(bar, "h", c.high) || !decimal_field(bar, "l", c.low) ||
      !decimal_field(bar, "v", c.volume) || bar["n"].get_int64().get(c.trades) ||
      bar["x"].get_bool().get(k.closed) || !decimal_field(bar, "q", c.quote_volume) ||
      !decimal_field(bar, "V", c.taker_buy_base_volume))
    return message_kind::malformed;
  auto tf = parse_timeframe(interval);
  if (!tf) return message_kind::other;  // an interval we do not keep
  k.timeframe = *tf;
  // A sound candle: on its boundary, ordered prices.
  const std::int64_t ms = timeframe_ms(k.timeframe);
  if (c.open_time < 0 || c.open_time % ms != 0 || c.close_time != c.open_time + ms - 1 ||
      !(c.low <= std::min(c.open, c.close)) || !(c.high >= std::max(c.open, c.close)) ||
      c.low <= 0 || c.volume < 0 || c.trades < 0)
    return message_kind::malformed;
  return message_kind::kline;
}

}  // namespace vyx::runtime::binance
