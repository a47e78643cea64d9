// The 24 h roll-over, time-compressed. Still failing (label "wip"): the
// roll-over socket takes over only when it delivers data, which a quiet
// market between steps never gives it; the old socket then ends at the
// server's limit, and stream_connection.cpp arms one age timer per
// connection, for the link current when a link becomes ready, so the new one
// is never rolled and is dropped too (reconnects, not roll-overs). Arming the
// timer for whichever link takes over was tried and is not enough on its own.
#include "live_harness.hpp"

using namespace vyx::test;

namespace {

void finish(live_session& s) {
  CHECK(!s.ended());
  CHECK(s.feed().health().phase == "live");
  s.check_candles();
  s.check_replay();
}

}  // namespace

TEST_CASE("24 h roll-over, time-compressed: the next socket opens before the old one ends") {
  live_session s("rollover", {}, [](binance_feed_options& fo, vyx::mock::mock_options& mo) {
    fo.max_connection_age = std::chrono::milliseconds(600);  // ours: roll before the server's limit
    mo.max_connection_age = std::chrono::milliseconds(1500);
  });
  REQUIRE(s.went_live());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::uint64_t rollovers = 0;
  int steps = 0;
  while ((rollovers < 3 || steps < 4) && std::chrono::steady_clock::now() < deadline) {
    REQUIRE(s.step());
    ++steps;
    rollovers = 0;
    for (const auto& c : s.feed().health().connections) rollovers += c.rollovers;
  }
  CHECK(rollovers >= 3);
  CHECK(s.feed().health().reconnects == 0);  // rolled over, never dropped
  finish(s);
}

