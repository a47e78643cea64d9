// Renders a signal into the platform's `signals` row shape (JSON).
#include "vyx/runtime/sinks/signal_row.hpp"

#include <algorithm>
#include <cmath>

#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime {

signal_row_renderer::signal_row_renderer(const candle_store& store, signal_row_context context)
    : store_(store), context_(std::move(context)) {
  for (std::size_t i = 0; i < store_.symbol_count(); ++i)
    symbol_index_.emplace(std::string(store_.symbol(i)), i);
}

std::string signal_row_renderer::render(const trader_signal& s) const {
  double price = s.price, change = 0, volume = 0;
  vyx_candles candles{};
  auto found = symbol_index_.find(s.symbol);
  if (found != symbol_index_.end()) {
    if (const vyx_ticker* t = store_.ticker(found->second)) {
      if (std::isfinite(t->last_price)) price = t->last_price;
      if (std::isfinite(t->price_change_percent)) change = t->price_change_percent;
      if (std::isfinite(t->quote_volume)) volume = t->quote_volume;
    }
    candles = store_.view(found->second, s.timeframe);
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
  for (const auto& v : s.values)
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
