// The 24 h roll-over, time-compressed: our age limit (600 ms) comes well before
// the mock's (5 s: a loaded CI machine once took longer than 0.9 s to switch), so each socket is replaced by a new one opened while
// it still runs. The market moves between roll-overs; no candle may be
// missed or duplicated, no reconnect may happen, and the signals must be a
// replay's.
#include "live_harness.hpp"

using namespace vyx::test;

TEST_CASE("24 h roll-over, time-compressed: the next socket opens before the old one ends") {
  live_session s("rollover", {}, [](binance_feed_options& fo, vyx::mock::mock_options& mo) {
    fo.max_connection_age = std::chrono::milliseconds(600);  // ours: roll before the server's limit
    mo.max_connection_age = std::chrono::milliseconds(5000);
  });
  REQUIRE(s.went_live());
  // Each round: the age timer opens a new socket (the mock accepts it), then
  // the market moves while the sockets overlap and after the switch.
  // Socket k+1 is opened only once socket k took over, so 4 new sockets mean
  // at least 3 completed roll-overs.
  std::uint64_t accepted = s.mock().counters().connections_accepted;
  for (int round = 0; round < 4; ++round) {
    const std::uint64_t want = accepted + 1;
    REQUIRE(s.mock().wait_counters([&](const vyx::mock::mock_counters& c) { return c.connections_accepted >= want; },
                                   std::chrono::seconds(10)));
    accepted = s.mock().counters().connections_accepted;
    REQUIRE(s.step());
    REQUIRE(s.step());
  }
  std::uint64_t rollovers = 0;
  for (const auto& c : s.feed().health().connections) rollovers += c.rollovers;
  CHECK(rollovers >= 3);
  CHECK(s.feed().health().reconnects == 0);  // rolled over, never dropped
  CHECK(!s.ended());
  CHECK(s.feed().health().phase == "live");
  s.check_candles();
  s.check_replay();
}
