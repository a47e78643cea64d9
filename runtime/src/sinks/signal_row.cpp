// Renders a signal into the platform's `signals` row shape (JSON).
#include "vyx/runtime/sinks/signal_row.hpp"

#include <algorithm>
#include <cmath>

#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime {

namespace {

// A time in ms as an integer: json_number's shortest form would write
// 1700000000000 as 1.7e+12, which is valid JSON but not how the platform
// writes x.
std::string json_time(double unix_ms) {
  constexpr double exact = 9007199254740992.0;  // 2^53: every integer below is a double
  if (std::isfinite(unix_ms) && std::floor(unix_ms) == unix_ms && std::fabs(unix_ms) < exact)
    return std::to_string(static_cast<std::int64_t>(unix_ms));
  return json_number(unix_ms);
}

// "klines" is the host's key, and a jsonb object keeps one value per key:
// the first series of a name wins over later ones and over emitted values.
bool taken(std::string_view name, const std::vector<signal_series>& series, std::size_t before) {
  if (name == "klines") return true;
  for (std::size_t i = 0; i < before; ++i)
    if (series[i].name == name) return true;
  return false;
}

void append_series(std::string& out, const signal_series& s) {
  out += "\"" + json_escape(s.name) + "\":[";
  for (std::size_t i = 0; i < s.points.size(); ++i) {
    if (i) out += ',';
    out += "{\"x\":" + json_time(s.points[i].x) + ",\"y\":" + json_number(s.points[i].y) + "}";
  }
  out += "],";
}

}  // namespace

signal_row_renderer::signal_row_renderer(const candle_store& store, signal_row_context context)
    : store_(store), context_(std::move(context)) {
  for (std::size_t i = 0; i < store_.symbol_count(); ++i)
    symbol_index_.emplace(std::string(store_.symbol(i)), i);
}

std::string signal_row_renderer::render(const trader_signal& s) const {
  double price = s.price, change = 0, volume = 0;
  vyx_candles candles{};
  auto found = symbol_index_.find(s.symbol);
  // A symbol the live feed added after this renderer was made is found by a scan.
  const auto index = found != symbol_index_.end() ? std::optional(found->second) : store_.find_symbol(s.symbol);
  if (index) {
    if (const vyx_ticker* t = store_.ticker(*index)) {
      if (std::isfinite(t->last_price)) price = t->last_price;
      if (std::isfinite(t->price_change_percent)) change = t->price_change_percent;
      if (std::isfinite(t->quote_volume)) volume = t->quote_volume;
    }
    candles = store_.view(*index, s.timeframe);
  }
  const std::string time = iso8601_utc(s.close_time);
  std::string out;
  out.reserve(256 + context_.klines * 96);
  out += "{\"trader_id\":\"" + json_escape(s.trader) + "\",\"user_id\":";
  out += context_.user_id.empty() ? "null" : "\"" + json_escape(context_.user_id) + "\"";
  out += ",\"symbol\":\"" + json_escape(s.symbol) + "\",\"interval\":\"" +
         timeframe_name(s.timeframe) + "\",\"timestamp\":\"" + time + "\",\"candle_time\":\"" +
         time + "\",\"price_at_signal\":" + json_number(price) +
         ",\"change_percent_at_signal\":" + json_number(change) +
         ",\"volume_at_signal\":" + json_number(volume) + ",\"fly_app_id\":";
  out += context_.fly_app_id.empty() ? "null" : "\"" + json_escape(context_.fly_app_id) + "\"";
  out += ",\"indicator_data\":{";
  for (std::size_t i = 0; i < s.series.size(); ++i)
    if (!taken(s.series[i].name, s.series, i)) append_series(out, s.series[i]);
  for (const auto& v : s.values)
    if (!taken(v.name, s.series, s.series.size()))
      out += "\"" + json_escape(v.name) + "\":[{\"x\":" + std::to_string(s.close_time) +
           ",\"y\":" + json_number(v.value) + "}],";
  out += "\"klines\":[";
  // The candles up to and including the signal's own (later ones never exist
  // between ticks; the forming candle at index count is not included).
  std::uint64_t end = candles.count;
  while (end > 0 && candles.close_time[end - 1] > s.close_time) --end;
  const std::uint64_t begin = end > context_.klines ? end - context_.klines : 0;
  for (std::uint64_t i = begin; i < end; ++i) {
    if (i != begin) out += ',';
    out += "{\"x\":" + std::to_string(candles.close_time[i]) +
           ",\"o\":" + json_number(candles.open[i]) + ",\"h\":" + json_number(candles.high[i]) +
           ",\"l\":" + json_number(candles.low[i]) + ",\"c\":" + json_number(candles.close[i]) +
           ",\"v\":" + json_number(candles.volume[i]) + "}";
  }
  out += "]}}";
  return out;
}

}  // namespace vyx::runtime
