// Kline pages from REST, stitched into one run of closed candles.
#include "backfill.hpp"

#include <simdjson.h>

#include "message_parser.hpp"
#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime::binance {

bool parse_kline_rows(std::string_view body, std::vector<candle>& rows) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::dom::array array;
  if (parser.parse(body.data(), body.size()).get(doc) || doc.get(array)) return false;
  for (auto row : array) {
    simdjson::dom::array f;
    if (row.get(f) || f.size() < 11) return false;
    candle c;
    std::string_view o, h, l, cl, v, q, tb;
    if (f.at(0).get(c.open_time) || f.at(1).get(o) || f.at(2).get(h) || f.at(3).get(l) ||
        f.at(4).get(cl) || f.at(5).get(v) || f.at(6).get(c.close_time) || f.at(7).get(q) ||
        f.at(8).get(c.trades) || f.at(9).get(tb) || !parse_decimal(o, c.open) ||
        !parse_decimal(h, c.high) || !parse_decimal(l, c.low) || !parse_decimal(cl, c.close) ||
        !parse_decimal(v, c.volume) || !parse_decimal(q, c.quote_volume) ||
        !parse_decimal(tb, c.taker_buy_base_volume))
      return false;
    rows.push_back(c);
  }
  return true;
}

struct backfill::job {
  std::string symbol;
  vyx_timeframe timeframe;
  std::int64_t next_open;
  std::int64_t market_now;
  std::size_t max_rows;
  bool newest;
  backfill_result result;
  std::function<void(backfill_result)> done;
};

void backfill::fetch(const std::string& symbol, vyx_timeframe timeframe, std::int64_t from_open,
                     std::int64_t market_now, std::size_t max_rows,
                     std::function<void(backfill_result)> done) {
  auto j = std::make_shared<job>();
  j->symbol = symbol;
  j->timeframe = timeframe;
  j->market_now = market_now;
  j->max_rows = std::max<std::size_t>(max_rows, 1);
  j->newest = from_open < 0;
  const std::int64_t ms = timeframe_ms(timeframe);
  // The newest `max_rows` closed ones: start that many periods back (plus the forming one).
  j->next_open = j->newest ? (market_now - market_now % ms) - static_cast<std::int64_t>(j->max_rows) * ms
                           : from_open;
  j->done = std::move(done);
  do_page_(std::move(j));
}

void backfill::do_page_(std::shared_ptr<job> j) {
  std::string target = "/api/v3/klines?symbol=" + j->symbol + "&interval=" +
                       timeframe_name(j->timeframe) + "&startTime=" + std::to_string(j->next_open) +
                       "&limit=" + std::to_string(page_limit);
  rest_->get(std::move(target), weight, [this, j](const rest_response& r) {
    if (r.status != 200) {
      j->result.status = r.status;
      j->result.error = r.status ? "HTTP " + std::to_string(r.status) + ": " + r.body.substr(0, 200)
                                 : r.error;
      return j->done(std::move(j->result));
    }
    std::vector<candle> rows;
    if (!parse_kline_rows(r.body, rows)) {
      j->result.status = 200;
      j->result.error = "klines: malformed body";
      return j->done(std::move(j->result));
    }
    bool more = rows.size() == page_limit;
    for (const candle& c : rows) {
      if (c.close_time >= j->market_now) {  // still forming (Binance's newest row)
        more = false;
        break;
      }
      if (c.open_time < j->next_open) continue;
      j->result.rows.push_back(c);
      j->next_open = c.open_time + timeframe_ms(j->timeframe);
    }
    if (j->result.rows.size() > j->max_rows)
      j->result.rows.erase(j->result.rows.begin(),
                           j->result.rows.end() - static_cast<std::ptrdiff_t>(j->max_rows));
    if (more && j->next_open < j->market_now) return do_page_(j);
    j->done(std::move(j->result));
  });
}

}  // namespace vyx::runtime::binance
