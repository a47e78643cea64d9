// Chaos on the loopback: each case breaks the mock exchange one way mid-run,
// then asserts zero missing and zero duplicated candles (against the mock's
// own market), the same signals as a replay of the recorded candles, and a
// feed that never ended.
#include <set>

#include "live_harness.hpp"

using namespace vyx::test;

namespace {

void run_steps(live_session& s, int count, const std::vector<std::string>& skip = {}) {
  REQUIRE_MESSAGE(s.went_live(), "the feed never went live");
  for (int i = 0; i < count; ++i) REQUIRE_MESSAGE(s.step(skip), "close not delivered at step " << i);
}

void finish(live_session& s, const std::vector<std::string>& partial = {}) {
  CHECK(!s.ended());
  CHECK(s.feed().health().phase == "live");
  s.check_candles(partial);
  s.check_replay();
}

}  // namespace

TEST_CASE("live feed over TLS: backfill, then streamed closes, same signals as the replay") {
  live_settings settings;
  settings.tls = true;
  live_session s("tls", settings);
  run_steps(s, 6);
  auto h = s.feed().health();
  CHECK(h.backfilled >= settings.history * settings.symbols);
  CHECK(h.messages > 0);
  CHECK(h.missing == 0);
  CHECK(h.reconnects == 0);  // TLS verified against the test CA, and the socket stayed up
  finish(s);
}

TEST_CASE("server pings are answered") {
  live_session s("ping", {}, [](binance_feed_options&, vyx::mock::mock_options& mo) {
    // Pongs count against Binance's 5 incoming messages a second: 4 pings a second stay under it.
    mo.ping_interval = std::chrono::milliseconds(250);
    mo.pong_timeout = std::chrono::milliseconds(1000);  // a client that does not answer is dropped
  });
  // Steps that take wall time: pings flow while they run.
  REQUIRE(s.went_live());
  for (int i = 0; i < 4; ++i) {
    REQUIRE(s.step());
    auto before = s.mock().counters().pongs;
    CHECK(s.mock().wait_counters([&](const vyx::mock::mock_counters& c) { return c.pongs > before; },
                                 std::chrono::seconds(5)));
  }
  CHECK(s.mock().counters().pongs >= 4);
  CHECK(s.feed().health().reconnects == 0);
  finish(s);
}

TEST_CASE("a connection dropped mid-frame reconnects and backfills") {
  live_settings settings;
  settings.tls = true;
  live_session s("drop", settings);
  run_steps(s, 2);
  s.mock().drop_mid_frame();
  run_steps(s, 1);  // this close arrives by the reconnect's backfill or the grace's REST
  s.mock().drop_mid_frame();
  run_steps(s, 3);
  CHECK(s.feed().health().reconnects >= 1);
  finish(s);
}

TEST_CASE("a silent connection is declared dead and replaced") {
  live_session s("silent");
  run_steps(s, 2);
  s.mock().silence(true);
  run_steps(s, 2);
  CHECK(s.feed().health().reconnects >= 1);
  run_steps(s, 2);
  finish(s);
}

TEST_CASE("a server-initiated close reconnects") {
  live_session s("close");
  run_steps(s, 2);
  s.mock().close_all();
  run_steps(s, 3);
  CHECK(s.feed().health().reconnects >= 1);
  finish(s);
}

TEST_CASE("malformed and truncated JSON is counted and dropped") {
  live_session s("malformed");
  run_steps(s, 2);
  s.mock().send_raw("{\"stream\":\"c0usdt@kline_1m\",\"data\":{\"e\":\"kline\",\"E\":1,\"k\":{\"t\":");
  s.mock().send_raw("not json at all");
  s.mock().send_raw("{\"stream\":\"c0usdt@kline_1m\",\"data\":{\"e\":\"kline\",\"E\":1,\"s\":\"C0USDT\","
                    "\"k\":{\"t\":60000,\"T\":119999,\"s\":\"C0USDT\",\"i\":\"1m\",\"o\":\"x1\",\"c\":\"1\","
                    "\"h\":\"1\",\"l\":\"1\",\"v\":\"1\",\"n\":1,\"x\":true,\"q\":\"1\",\"V\":\"1\"}}}");
  s.mock().send_raw("[1,2,3]");
  run_steps(s, 3);
  auto h = s.feed().health();
  CHECK(h.malformed >= 3);
  CHECK(h.reconnects == 0);
  finish(s);
}

TEST_CASE("duplicate, out-of-order and late candles") {
  live_session s("order");
  run_steps(s, 2);
  s.mock().duplicate_closed(true);
  run_steps(s, 2);
  s.mock().duplicate_closed(false);
  s.mock().swap_next("C1USDT");          // its next two closes arrive swapped
  s.mock().delay_closed("C2USDT", 45'000);  // later than the grace: fetched by REST
  run_steps(s, 3);
  s.mock().delay_closed("C2USDT", 0);
  run_steps(s, 2);
  auto h = s.feed().health();
  CHECK(h.duplicates > 0);
  CHECK(h.late >= 1);
  finish(s);
}

TEST_CASE("a symbol delisted mid-run stops holding the others back") {
  live_session s("delist");
  run_steps(s, 2);
  s.mock().delist("C3USDT");
  run_steps(s, 4, {"C3USDT"});
  CHECK(s.feed().health().late >= 1);
  finish(s, {"C3USDT"});
}

TEST_CASE("REST 429 with Retry-After pauses the backfill, which then completes") {
  live_session s("throttle");
  run_steps(s, 1);
  s.mock().fail_rest(429, 1, 3);
  s.mock().close_all();  // the reconnect's backfill meets the 429s
  run_steps(s, 3);
  auto h = s.feed().health();
  CHECK(h.rest_throttled >= 1);
  finish(s);
}

TEST_CASE("REST 418 at start: a clear error, no candles") {
  auto market = vyx::mock::generate_market({"AUSDT"}, 1u << VYX_TF_1M, 1'767'225'600'000, 200);
  vyx::mock::mock_binance mock(market);
  mock.publish_until(market.first_open() + 100 * 60'000);
  mock.fail_rest(418, 120, 1000);
  binance_feed_options fo;
  fo.api_url = mock.api_url();
  fo.ws_url = mock.ws_url();
  fo.timeframes = 1u << VYX_TF_1M;
  fo.min_volume = 0;
  CHECK_THROWS_WITH_AS(binance_feed{fo}, doctest::Contains("418"), std::runtime_error);
}

TEST_CASE("REST 418 during the backfill stops the feed with the reason") {
  auto market = vyx::mock::generate_market({"AUSDT", "BUSDT"}, 1u << VYX_TF_1M, 1'767'225'600'000, 200);
  vyx::mock::mock_binance mock(market);
  mock.publish_until(market.first_open() + 100 * 60'000);
  binance_feed_options fo;
  fo.api_url = mock.api_url();
  fo.ws_url = mock.ws_url();
  fo.timeframes = 1u << VYX_TF_1M;
  fo.min_volume = 0;
  fo.pinned_symbols = {"AUSDT", "BUSDT"};  // exchangeInfo only, then klines meet the ban
  fo.rest_sessions = 1;
  mock.fail_rest(418, 120, 0);
  // The ban comes after exchangeInfo and time: fail every request from the klines on.
  std::unique_ptr<binance_feed> feed;
  feed = std::make_unique<binance_feed>(fo);
  mock.fail_rest(418, 120, 1000);
  feed->roll_over_connections();
  closed_candle c;
  // Either the backfill already got through (candles flow) or it stopped; a
  // reconnect's backfill then meets the ban for sure.
  mock.close_all();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  bool ended = false;
  while (std::chrono::steady_clock::now() < deadline) {
    mock.publish_until(mock.market_now() + 60'000);
    if (!feed->next(c)) {
      ended = true;
      break;
    }
  }
  CHECK(ended);
  CHECK(feed->error().find("418") != std::string::npos);
}

TEST_CASE("x=false frames reach the store's forming slots while the consumer waits") {
  auto market =
      vyx::mock::generate_market({"AUSDT", "BUSDT"}, 1u << VYX_TF_1M, 1'767'225'600'000, 200);
  vyx::mock::mock_options mo;
  mo.forming_interval_ms = 10'000;
  vyx::mock::mock_binance mock(market, mo);
  const std::int64_t start = market.first_open() + 100 * 60'000;
  mock.publish_until(start);
  binance_feed_options fo;
  fo.api_url = mock.api_url();
  fo.ws_url = mock.ws_url();
  fo.timeframes = 1u << VYX_TF_1M;
  fo.history = 10;
  fo.min_volume = 0;
  binance_feed feed(fo);
  candle_store store = make_store_for(feed, 100);
  feed.attach_store(store);
  REQUIRE(feed.wait_live(std::chrono::seconds(30)));
  mock.publish_until(start + 35'000);  // the minute from `start`, forming: no close
  // Checked on the consumer's thread, between its waits, where the feed writes the store.
  std::set<std::size_t> seen;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  feed.set_idle([&] {
    for (std::size_t s = 0; s < store.symbol_count(); ++s)
      if (auto c = store.forming(s, VYX_TF_1M); c && c->open_time >= start) seen.insert(s);
    if (seen.size() == 2 || std::chrono::steady_clock::now() > deadline) feed.stop();
  });
  closed_candle c;
  while (feed.next(c)) {
  }
  CHECK(seen.size() == 2);
}
