// Parses one combined-stream frame ({"stream","data"}) with simdjson's
// on-demand API: kline events (decimal strings to doubles), the all-market
// mini ticker array, and replies to SUBSCRIBE. The hot path: no allocation
// per kline message.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "vyx/abi.h"
#include "vyx/runtime/market/candle_store.hpp"

namespace vyx::runtime::binance {

struct kline_update {
  std::string_view symbol;  // into the parsed buffer: valid until the next parse
  vyx_timeframe timeframe = 0;
  candle bar;
  bool closed = false;  // x
  std::int64_t event_time = 0;  // E
};

struct mini_ticker {
  std::string_view symbol;
  double last_price = 0, open_price = 0, quote_volume = 0;
  std::int64_t event_time = 0;
};

enum class message_kind { kline, mini_tickers, reply, other, malformed };

class message_parser {
 public:
  // `text` must have simdjson::SIMDJSON_PADDING readable bytes after size.
  message_kind parse(const char* text, std::size_t size, std::size_t capacity);

  const kline_update& kline() const { return kline_; }
  const std::vector<mini_ticker>& tickers() const { return tickers_; }
  std::int64_t reply_id() const { return reply_id_; }

 private:
  message_kind parse_kline_(simdjson::ondemand::object data);
  simdjson::ondemand::parser parser_;
  kline_update kline_;
  std::vector<mini_ticker> tickers_;
  std::int64_t reply_id_ = 0;
};

// A decimal string as a double; false when it is not one.
bool parse_decimal(std::string_view text, double& value);

}  // namespace vyx::runtime::binance
