// REST backfill of closed klines (/api/v3/klines, 1000 rows a page, weight 2):
// from an open time up to the market's now, page after page; the forming
// newest row is left out.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rest_client.hpp"
#include "vyx/abi.h"
#include "vyx/runtime/market/candle_store.hpp"

namespace vyx::runtime::binance {

// Rows of a klines body; false when the body is not an array of 12-field rows.
bool parse_kline_rows(std::string_view body, std::vector<candle>& rows);

struct backfill_result {
  std::vector<candle> rows;  // closed candles, oldest first
  unsigned status = 200;     // the failing HTTP status (418 = banned), or 0 for transport
  std::string error;         // empty on success
};

class backfill {
 public:
  static constexpr unsigned page_limit = 1000;
  static constexpr unsigned weight = 2;  // Binance's weight of a klines request

  explicit backfill(std::shared_ptr<rest_client> rest) : rest_(std::move(rest)) {}

  // Closed candles of (symbol, timeframe) opening at or after `from_open`
  // and closing before `market_now`; at most `max_rows` (the store's capacity).
  // When `from_open` < 0, the newest `max_rows` instead.
  void fetch(const std::string& symbol, vyx_timeframe timeframe, std::int64_t from_open,
             std::int64_t market_now, std::size_t max_rows,
             std::function<void(backfill_result)> done);

 private:
  struct job;
  void do_page_(std::shared_ptr<job> j);
  std::shared_ptr<rest_client> rest_;
};

}  // namespace vyx::runtime::binance
