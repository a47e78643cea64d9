// The live feed's pure parts: frame parsing, the sequencer's batching and
// continuity, the symbol universe and the stream plan.
#include <doctest/doctest.h>

#include <cstring>

#include "feeds/binance/candle_sequencer.hpp"
#include "feeds/binance/message_parser.hpp"
#include "feeds/binance/stream_planner.hpp"
#include "feeds/binance/symbol_universe.hpp"
#include "vyx/runtime/market/timeframe.hpp"

using namespace vyx::runtime;
using namespace vyx::runtime::binance;

namespace {

message_kind parse(message_parser& p, const std::string& text) {
  std::string padded = text;
  padded.resize(text.size() + simdjson::SIMDJSON_PADDING);
  return p.parse(padded.data(), text.size(), padded.size());
}

const char* kline_frame =
    R"({"stream":"btcusdt@kline_1m","data":{"e":"kline","E":1672515782136,"s":"BTCUSDT","k":{"t":1672515720000,"T":1672515779999,"s":"BTCUSDT","i":"1m","f":100,"L":200,"o":"16500.10","c":"16510.25","h":"16520.00","l":"16490.00","v":"12.5","n":42,"x":true,"q":"206000.5","V":"6.25","Q":"103000.1","B":"0"}}})";

candle bar(std::int64_t open, vyx_timeframe tf = VYX_TF_1M) {
  candle c;
  c.open_time = open;
  c.close_time = open + timeframe_ms(tf) - 1;
  c.open = c.high = c.low = c.close = 1;
  return c;
}

}  // namespace

TEST_CASE("a kline frame parses to exact doubles") {
  message_parser p;
  REQUIRE(parse(p, kline_frame) == message_kind::kline);
  const auto& k = p.kline();
  CHECK(k.symbol == "BTCUSDT");
  CHECK(k.timeframe == VYX_TF_1M);
  CHECK(k.closed);
  CHECK(k.event_time == 1672515782136);
  CHECK(k.bar.open_time == 1672515720000);
  CHECK(k.bar.close == 16510.25);
  CHECK(k.bar.quote_volume == 206000.5);
  CHECK(k.bar.trades == 42);
}

TEST_CASE("bad frames are malformed, never a crash") {
  message_parser p;
  std::string frame = kline_frame;
  for (std::size_t cut = 0; cut < frame.size(); cut += 7) {
    auto kind = parse(p, frame.substr(0, cut));
    CHECK(kind != message_kind::kline);
  }
  CHECK(parse(p, "") == message_kind::malformed);
  CHECK(parse(p, "[]") == message_kind::malformed);
  std::string bad_price = frame;
  bad_price.replace(bad_price.find("16500.10"), 8, "abc");
  CHECK(parse(p, bad_price) == message_kind::malformed);
  std::string off_boundary = frame;
  off_boundary.replace(off_boundary.find("1672515720000"), 13, "1672515720001");
  CHECK(parse(p, off_boundary) == message_kind::malformed);
  CHECK(parse(p, R"({"result":null,"id":7})") == message_kind::reply);
  CHECK(p.reply_id() == 7);
}

TEST_CASE("the mini ticker array parses") {
  message_parser p;
  REQUIRE(parse(p, R"({"stream":"!miniTicker@arr","data":[{"e":"24hrMiniTicker","E":5,"s":"AUSDT","c":"1.5","o":"1","h":"2","l":"1","v":"10","q":"15"}]})") ==
          message_kind::mini_tickers);
  REQUIRE(p.tickers().size() == 1);
  CHECK(p.tickers()[0].quote_volume == 15);
}

TEST_CASE("sequencer: a batch waits for every symbol, then releases in (timeframe, symbol) order") {
  candle_sequencer seq(2, 1u << VYX_TF_1M, std::chrono::milliseconds(100));
  auto now = candle_sequencer::clock::now();
  seq.start({0, VYX_TF_1M}, 0);
  seq.start({1, VYX_TF_1M}, 0);
  sequencer_batch b;
  candle_sequencer::clock::time_point wake;
  std::vector<gap_request> gaps;
  CHECK(seq.offer({1, VYX_TF_1M}, bar(0), now) == offer_result::accepted);
  CHECK_FALSE(seq.next_batch(now, b, wake, gaps));
  CHECK(wake == now + std::chrono::milliseconds(100));
  CHECK(seq.offer({0, VYX_TF_1M}, bar(0), now) == offer_result::accepted);
  CHECK(seq.offer({0, VYX_TF_1M}, bar(0), now) == offer_result::duplicate);
  REQUIRE(seq.next_batch(now, b, wake, gaps));
  REQUIRE(b.candles.size() == 2);
  CHECK(b.candles[0].symbol_index == 0);
  CHECK(b.late.empty());
  CHECK(seq.offer({0, VYX_TF_1M}, bar(0), now) == offer_result::too_old);
}

TEST_CASE("sequencer: a batch carries when its first and its last candle arrived") {
  candle_sequencer seq(3, 1u << VYX_TF_1M, std::chrono::milliseconds(100));
  const auto t0 = candle_sequencer::clock::now();
  const auto t1 = t0 + std::chrono::milliseconds(3), t2 = t0 + std::chrono::milliseconds(7);
  for (std::uint32_t s = 0; s < 3; ++s) seq.start({s, VYX_TF_1M}, 0);
  seq.offer({2, VYX_TF_1M}, bar(0), t0);
  seq.offer({0, VYX_TF_1M}, bar(0), t1);
  seq.offer({0, VYX_TF_1M}, bar(0), t2 + std::chrono::seconds(1));  // a duplicate is no arrival
  seq.offer({1, VYX_TF_1M}, bar(0), t2);
  sequencer_batch b;
  candle_sequencer::clock::time_point wake;
  std::vector<gap_request> gaps;
  REQUIRE(seq.next_batch(t2, b, wake, gaps));
  CHECK(b.candles.size() == 3);
  CHECK(b.first_arrival == t0);
  CHECK(b.last_arrival == t2);
}

TEST_CASE("sequencer: a reused slot starts afresh and holds nothing back until it starts") {
  candle_sequencer seq(2, 1u << VYX_TF_1M, std::chrono::milliseconds(100));
  auto now = candle_sequencer::clock::now();
  seq.start({0, VYX_TF_1M}, 0);
  seq.start({1, VYX_TF_1M}, 0);
  seq.offer({1, VYX_TF_1M}, bar(60'000), now);  // held: the leaver's candle after a hole
  seq.deactivate({1, VYX_TF_1M});
  seq.reuse_symbol(1);
  CHECK(seq.active({1, VYX_TF_1M}));
  CHECK_FALSE(seq.started({1, VYX_TF_1M}));
  CHECK(seq.held() == 0);
  sequencer_batch b;
  candle_sequencer::clock::time_point wake;
  std::vector<gap_request> gaps;
  seq.offer({0, VYX_TF_1M}, bar(0), now);
  REQUIRE(seq.next_batch(now, b, wake, gaps));  // not waiting for the newcomer's backfill
  CHECK(b.candles.size() == 1);
  // The newcomer's history starts its own sequence.
  seq.start({1, VYX_TF_1M}, 120'000);
  CHECK(seq.next_open({1, VYX_TF_1M}) == 120'000);
  CHECK(seq.offer({1, VYX_TF_1M}, bar(120'000), now) == offer_result::accepted);
}

TEST_CASE("sequencer: the grace releases what came and reports the late and the late one follows alone") {
  candle_sequencer seq(2, 1u << VYX_TF_1M, std::chrono::milliseconds(100));
  auto now = candle_sequencer::clock::now();
  seq.start({0, VYX_TF_1M}, 0);
  seq.start({1, VYX_TF_1M}, 0);
  sequencer_batch b;
  candle_sequencer::clock::time_point wake;
  std::vector<gap_request> gaps;
  seq.offer({0, VYX_TF_1M}, bar(0), now);
  CHECK_FALSE(seq.next_batch(now, b, wake, gaps));
  REQUIRE(seq.next_batch(now + std::chrono::milliseconds(101), b, wake, gaps));
  CHECK(b.candles.size() == 1);
  REQUIRE(b.late.size() == 1);
  CHECK(b.late[0].symbol == 1);
  // The next close of symbol 0 does not wait for the late one.
  seq.offer({0, VYX_TF_1M}, bar(60'000), now);
  REQUIRE(seq.next_batch(now, b, wake, gaps));
  CHECK(b.close_time == 119'999);
  // The late candle (by REST) is released in a follow-up batch of its own close.
  seq.offer({1, VYX_TF_1M}, bar(0), now);
  REQUIRE(seq.next_batch(now, b, wake, gaps));
  CHECK(b.close_time == 59'999);
  REQUIRE(b.candles.size() == 1);
  CHECK(b.candles[0].symbol_index == 1);
}

TEST_CASE("sequencer: a hole is reported once as a gap, filled, or skipped and counted") {
  candle_sequencer seq(1, 1u << VYX_TF_1M, std::chrono::milliseconds(100));
  auto now = candle_sequencer::clock::now();
  seq.start({0, VYX_TF_1M}, 0);
  sequencer_batch b;
  candle_sequencer::clock::time_point wake;
  std::vector<gap_request> gaps;
  seq.offer({0, VYX_TF_1M}, bar(180'000), now);
  CHECK_FALSE(seq.next_batch(now, b, wake, gaps));
  REQUIRE(gaps.size() == 1);
  CHECK(gaps[0].from_open == 0);
  CHECK(gaps[0].to_open == 180'000);
  gaps.clear();
  CHECK_FALSE(seq.next_batch(now, b, wake, gaps));
  CHECK(gaps.empty());  // reported once
  seq.offer({0, VYX_TF_1M}, bar(0), now);  // REST had the first one only
  REQUIRE(seq.next_batch(now, b, wake, gaps));
  CHECK(seq.skip_gap({0, VYX_TF_1M}) == 2);
  REQUIRE(seq.next_batch(now, b, wake, gaps));
  CHECK(b.candles[0].bar.open_time == 180'000);
}

TEST_CASE("universe: USDT, TRADING, by quote volume, leveraged tokens by suffix only") {
  std::string info = R"({"symbols":[
    {"symbol":"BTCUSDT","status":"TRADING","quoteAsset":"USDT"},
    {"symbol":"JUPUSDT","status":"TRADING","quoteAsset":"USDT"},
    {"symbol":"BTCUPUSDT","status":"TRADING","quoteAsset":"USDT"},
    {"symbol":"ETHBEARUSDT","status":"TRADING","quoteAsset":"USDT"},
    {"symbol":"LUNAUSDT","status":"BREAK","quoteAsset":"USDT"},
    {"symbol":"ETHBTC","status":"TRADING","quoteAsset":"BTC"},
    {"symbol":"SMALLUSDT","status":"TRADING","quoteAsset":"USDT"},
    {"symbol":"ETHUSDT","status":"TRADING","quoteAsset":"USDT"}]})";
  std::string tickers = R"([
    {"symbol":"BTCUSDT","quoteVolume":"900000000"},{"symbol":"JUPUSDT","quoteVolume":"5000000"},
    {"symbol":"BTCUPUSDT","quoteVolume":"8000000"},{"symbol":"ETHBEARUSDT","quoteVolume":"8000000"},
    {"symbol":"LUNAUSDT","quoteVolume":"9000000"},{"symbol":"ETHBTC","quoteVolume":"9000000"},
    {"symbol":"SMALLUSDT","quoteVolume":"50000"},{"symbol":"ETHUSDT","quoteVolume":"600000000"}])";
  std::string error;
  auto all = select_universe(info, tickers, {100, 100'000, {}}, error);
  CHECK(all == std::vector<std::string>{"BTCUSDT", "ETHUSDT", "JUPUSDT"});
  auto top2 = select_universe(info, tickers, {2, 100'000, {}}, error);
  CHECK(top2 == std::vector<std::string>{"BTCUSDT", "ETHUSDT"});
  auto pinned = select_universe(info, tickers, {2, 100'000, {"LUNAUSDT", "SMALLUSDT"}}, error);
  CHECK(pinned == std::vector<std::string>{"SMALLUSDT"});
  CHECK(select_universe("{}", tickers, {}, error).empty());
  CHECK(!error.empty());
  CHECK(is_leveraged_token("BTCDOWNUSDT"));
  CHECK_FALSE(is_leveraged_token("JUPUSDT"));
}

TEST_CASE("stream plan: at most N streams a connection, a symbol's timeframes together") {
  std::vector<std::string> symbols;
  for (int i = 0; i < 600; ++i) symbols.push_back("S" + std::to_string(i) + "USDT");
  auto plan = plan_streams(symbols, (1u << VYX_TF_1M) | (1u << VYX_TF_5M), 1024);
  std::size_t total = 0;
  for (const auto& c : plan.connections) {
    CHECK(c.size() <= 1024);
    total += c.size();
  }
  CHECK(total == 1201);
  CHECK(plan.connections.size() == 2);
  CHECK(plan.connections[0][0] == "!miniTicker@arr");
  CHECK(plan.connections[0][1] == "s0usdt@kline_1m");
}

TEST_CASE("sequencer: a newcomer holds nothing back until it starts, then catches up in close order") {
  candle_sequencer seq(1, 1u << VYX_TF_1M, std::chrono::milliseconds(100));
  auto now = candle_sequencer::clock::now();
  seq.start({0, VYX_TF_1M}, 600'000);
  sequencer_batch b;
  candle_sequencer::clock::time_point wake;
  std::vector<gap_request> gaps;
  REQUIRE(seq.add_symbol() == 1);
  CHECK(seq.symbols() == 2);
  // Its stream frames come before its backfill: held, but symbol 0 ticks on.
  CHECK(seq.offer({1, VYX_TF_1M}, bar(600'000), now) == offer_result::not_started);
  CHECK(seq.offer({0, VYX_TF_1M}, bar(600'000), now) == offer_result::accepted);
  REQUIRE(seq.next_batch(now, b, wake, gaps));
  CHECK(b.candles.size() == 1);
  CHECK(b.candles[0].symbol_index == 0);
  CHECK(b.late.empty());
  CHECK(gaps.empty());
  // Its history arrives: released oldest first, alone, before the next common close.
  seq.start({1, VYX_TF_1M}, 480'000);
  CHECK(seq.offer({1, VYX_TF_1M}, bar(480'000), now) == offer_result::accepted);
  CHECK(seq.offer({1, VYX_TF_1M}, bar(540'000), now) == offer_result::accepted);
  CHECK(seq.offer({0, VYX_TF_1M}, bar(660'000), now) == offer_result::accepted);
  std::vector<std::pair<std::int64_t, std::uint32_t>> order;
  for (int i = 0; i < 3; ++i) {
    REQUIRE(seq.next_batch(now, b, wake, gaps));
    for (const auto& c : b.candles) order.emplace_back(c.bar.open_time, c.symbol_index);
  }
  CHECK(order == std::vector<std::pair<std::int64_t, std::uint32_t>>{{480'000, 1}, {540'000, 1}, {600'000, 1}});
  // Now both are due at each close.
  CHECK(seq.offer({1, VYX_TF_1M}, bar(660'000), now) == offer_result::accepted);
  REQUIRE(seq.next_batch(now, b, wake, gaps));
  CHECK(b.candles.size() == 2);
  // It leaves, then comes back: continuity resumes where it stopped.
  seq.deactivate({1, VYX_TF_1M});
  CHECK_FALSE(seq.active({1, VYX_TF_1M}));
  seq.reactivate({1, VYX_TF_1M});
  CHECK(seq.active({1, VYX_TF_1M}));
  CHECK(seq.next_open({1, VYX_TF_1M}) == 720'000);
}
