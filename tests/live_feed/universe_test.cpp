// The universe refresh mid-run: the exchange's volume ranking changes so one
// symbol enters the top SYMBOL_COUNT and one leaves. The newcomer must be
// subscribed, backfilled into a reserved store slot and screened, the leaver
// unsubscribed without holding a tick back, and the signals must still be a
// replay's of the recorded candles.
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
