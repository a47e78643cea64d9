// The universe refresh mid-run: the exchange's volume ranking changes so one
// symbol enters the top SYMBOL_COUNT and one leaves. The newcomer must be
// subscribed, backfilled into a reserved store slot and screened, the leaver
// unsubscribed without holding a tick back, and the signals must still be a
// replay's of the recorded candles.
#include <set>

#include "../support/eventually.hpp"
#include "live_harness.hpp"

using namespace vyx::test;

TEST_CASE(
    "universe refresh: a newcomer is backfilled, subscribed and screened; a leaver holds nothing "
    "back") {
  live_settings settings;
  settings.symbols = 6;
  settings.market_symbols = 7;  // C6USDT ranks 7th: outside the universe at start
  live_session s("universe", settings, [](binance_feed_options& fo, vyx::mock::mock_options&) {
    fo.universe_refresh = std::chrono::milliseconds(1500);  // hourly in production
    fo.reserved_symbols = 4;
  });
  REQUIRE(s.went_live());
  REQUIRE(s.step());
  REQUIRE(s.step());
  auto before = s.feed().health();
  CHECK(before.universe_newcomers == 0);
  CHECK(s.delivered().symbols().size() == 6);

  const std::string newcomer = "C6USDT", leaver = "C2USDT";
  s.mock().set_quote_volume(newcomer, 1e9);
  s.mock().set_quote_volume(leaver, 1);
  // The next refresh admits the newcomer: its history up to the last close arrives.
  REQUIRE(s.delivered().wait_symbol(newcomer, s.now() - 30'000 - 1));
  auto joined = s.feed().health();
  CHECK(joined.universe_newcomers == 1);
  CHECK(joined.universe_dropped == 2);  // the leaver's 1m and 5m streams
  CHECK(joined.universe_waiting == 0);
  const std::int64_t join_close = s.now() - 30'000 - 1;

  // Closes go on without the leaver (it would hold every tick back by the grace if it were
  // awaited).
  for (int i = 0; i < 6; ++i)
    REQUIRE_MESSAGE(s.step({leaver}), "close not delivered at step " << i);
  // The leaver still trades on the exchange, but nothing of it is awaited or taken after it left.
  auto delivered = s.delivered().candles();
  REQUIRE(delivered.count({leaver, VYX_TF_1M}));
  CHECK(delivered[{leaver, VYX_TF_1M}].back().close_time < s.now() - 30'000 - 1);
  CHECK(!s.ended());
  CHECK(s.feed().health().phase == "live");

  s.stop();  // every tick that was read has run: its signals are in
  // Screened: `rising` (1m: the close rose) signals for the newcomer exactly at the closes
  // after it joined where its candles rose.
  std::vector<std::int64_t> expected, got;
  const auto& bars = delivered[{newcomer, VYX_TF_1M}];
  for (std::size_t i = 1; i < bars.size(); ++i)
    if (bars[i].close_time > join_close && bars[i].close > bars[i - 1].close)
      expected.push_back(bars[i].close_time);
  for (const auto& k : s.signals())
    if (std::get<0>(k) == "rising" && std::get<1>(k) == newcomer && std::get<3>(k) > join_close)
      got.push_back(std::get<3>(k));
  std::sort(got.begin(), got.end());
  CHECK(!expected.empty());
  CHECK(got == expected);

  s.check_candles({leaver});
  s.check_replay();
}

TEST_CASE("universe refresh: a newcomer goes on a connection with room, else on a new connection") {
  live_settings settings;
  settings.symbols = 8;
  settings.market_symbols = 8;
  const std::string first = "C6USDT", second = "C7USDT", leaver = "C2USDT";
  // The mock reports 1e6 x (rank from the bottom): C6 (2e6) and C7 (1e6) are
  // under MIN_VOLUME at start, so the universe is C0..C5: 12 kline streams
  // and the mini ticker fill the one connection (13 streams each at most).
  live_session s("placement", settings, [](binance_feed_options& fo, vyx::mock::mock_options&) {
    fo.universe_refresh = std::chrono::milliseconds(1500);
    fo.min_volume = 2.5e6;
    fo.streams_per_connection = 13;
  });
  REQUIRE(s.went_live());
  REQUIRE(s.feed().health().connections.size() == 1);
  REQUIRE(s.step());

  // No room: the newcomer's streams open a second connection.
  s.mock().set_quote_volume(first, 1e9);
  REQUIRE(s.delivered().wait_symbol(first, s.now() - 30'000 - 1));
  auto h = s.feed().health();
  CHECK(h.universe_newcomers == 1);
  CHECK(h.universe_waiting == 0);
  REQUIRE(h.connections.size() == 2);
  CHECK(h.connections[1].streams == 2);
  // The newcomer's candles may have come by REST while its socket was still in
  // its handshake; the mock counts its open connections as it publishes.
  CHECK(vyx::test::eventually([&] { return s.feed().health().connections[1].state == "open"; },
                              std::chrono::seconds(20)));
  REQUIRE(s.step());
  CHECK(s.mock().counters().connections_open == 2);

  // A leaver frees room on the first connection: the next newcomer goes there, no third connection.
  s.mock().set_quote_volume(leaver, 1);
  s.mock().set_quote_volume(second, 2e9);
  REQUIRE(s.delivered().wait_symbol(second, s.now() - 30'000 - 1));
  h = s.feed().health();
  CHECK(h.universe_newcomers == 2);
  CHECK(h.universe_dropped == 2);
  CHECK(h.universe_waiting == 0);
  REQUIRE(h.connections.size() == 2);
  CHECK(h.connections[0].streams == 13);
  for (int i = 0; i < 3; ++i) REQUIRE(s.step({leaver}));
  h = s.feed().health();
  CHECK(h.connections.size() == 2);
  CHECK_MESSAGE(h.reconnects == 0, s.describe(s.now() - 30'000 - 1));
  CHECK(!s.ended());
  s.stop();
  // Both newcomers were screened (the test traders signal every close for probe_mtf's 5m).
  std::set<std::string> screened;
  for (const auto& k : s.signals()) screened.insert(std::get<1>(k));
  CHECK(screened.count(first));
  CHECK(screened.count(second));
  s.check_candles({leaver});
  s.check_replay();
}

TEST_CASE("universe refresh: once the reserved slots are used, a newcomer takes a leaver's slot") {
  live_settings settings;
  settings.symbols = 6;
  settings.market_symbols = 8;  // C6 and C7 rank 7th and 8th: outside the universe at start
  live_session s("reuse", settings, [](binance_feed_options& fo, vyx::mock::mock_options&) {
    fo.universe_refresh = std::chrono::milliseconds(1500);
    fo.reserved_symbols = 1;
  });
  REQUIRE(s.went_live());
  REQUIRE(s.step());
  const std::size_t slots = s.feed().symbol_capacity();
  CHECK(slots == 7);

  // The first newcomer takes the one reserved slot; C5 is pushed out of the top 6.
  s.mock().set_quote_volume("C6USDT", 1e9);
  REQUIRE(s.delivered().wait_symbol("C6USDT", s.now() - 30'000 - 1));
  CHECK(s.delivered().symbols().size() == 7);
  CHECK(s.delivered().symbols()[6] == "C6USDT");
  REQUIRE(s.step({"C5USDT"}));

  // The next one: no reserved slot left, so it takes the slot of the symbol gone longest (C5's).
  s.mock().set_quote_volume("C7USDT", 2e9);
  REQUIRE(s.delivered().wait_symbol("C7USDT", s.now() - 30'000 - 1));
  const std::int64_t join_close = s.now() - 30'000 - 1;
  auto h = s.feed().health();
  CHECK(h.universe_newcomers == 2);
  CHECK(h.universe_waiting == 0);
  const auto symbols = s.delivered().symbols();
  REQUIRE(symbols.size() == 7);
  CHECK(symbols[5] == "C7USDT");
  for (int i = 0; i < 4; ++i) REQUIRE(s.step({"C4USDT", "C5USDT"}));
  CHECK(!s.ended());
  s.stop();

  // The slot holds the newcomer's candles only, gap-free, as the exchange's.
  auto delivered = s.delivered().candles();
  const auto& bars = delivered[{"C7USDT", VYX_TF_1M}];
  REQUIRE(!bars.empty());
  CHECK(bars.back().close_time == s.now() - 30'000 - 1);
  std::vector<std::int64_t> expected, got;
  for (std::size_t i = 1; i < bars.size(); ++i)
    if (bars[i].close_time > join_close && bars[i].close > bars[i - 1].close) expected.push_back(bars[i].close_time);
  for (const auto& k : s.signals())
    if (std::get<0>(k) == "rising" && std::get<1>(k) == "C7USDT" && std::get<3>(k) > join_close)
      got.push_back(std::get<3>(k));
  std::sort(got.begin(), got.end());
  CHECK(!expected.empty());
  CHECK(got == expected);
  s.check_candles({"C4USDT", "C5USDT"});
  s.check_replay();
}

TEST_CASE(
    "the all-market mini ticker is the 24 h ticker traders see, and a replay of the recording sees "
    "it too") {
  live_session s("ticker");
  REQUIRE(s.went_live());
  for (int i = 0; i < 3; ++i) REQUIRE(s.step());
  s.stop();
  // The mock reports 1e6 x (rank from the bottom) as each symbol's 24 h quote volume: not
  // what 40 backfilled candles could give (the candle-derived ticker would be NaN here).
  const auto& names = s.names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    const vyx_ticker t = s.live_ticker(names[i]);
    CHECK_MESSAGE(t.quote_volume == 1e6 * static_cast<double>(names.size() - i), names[i]);
    CHECK(std::isfinite(t.last_price));
    CHECK(t.last_price > 0);
    CHECK(std::isfinite(t.price_change_percent));
  }
  s.check_replay(true);
}
