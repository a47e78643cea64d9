// The converted CSV replays through the runtime's replay feed with nothing
// dropped and every candle equal to the peers' dataset.
#include <doctest/doctest.h>

#include "peer_dataset.hpp"
#include "replay_csv.hpp"
#include "test_data.hpp"
#include "vyx/runtime/feeds/replay_feed.hpp"
#include "vyx/runtime/market/timeframe.hpp"

using namespace vyx::bench::peers;
using namespace vyx::test::peers;

TEST_CASE("peer-dataset CSV -> replay_feed: every candle, exactly, none malformed") {
  std::string error;
  auto data = read_peer_dataset(tiny_dataset(), error);
  REQUIRE_MESSAGE(data.has_value(), error);
  scratch_dir dir;
  REQUIRE_MESSAGE(write_replay_csv(*data, dir.path(), {}, error), error);

  vyx::runtime::replay_feed feed(dir.path());
  REQUIRE(feed.symbols() == data->symbols);
  CHECK(feed.timeframes() == ((1u << VYX_TF_1M) | (1u << VYX_TF_5M) | (1u << VYX_TF_1H)));

  std::size_t seen = 0;
  vyx::runtime::closed_candle got;
  while (feed.next(got)) {
    ++seen;
    const auto t = data->timeframe_index(vyx::runtime::timeframe_name(got.timeframe));
    REQUIRE(t.has_value());
    const auto& c = data->at(got.symbol_index, *t);
    const auto step = vyx::runtime::timeframe_ms(got.timeframe);
    const auto b = static_cast<std::size_t>((got.bar.open_time - c.open_time[0]) / step);
    REQUIRE(b < c.size());
    CHECK(got.bar.open_time == c.open_time[b]);
    CHECK(got.bar.close_time == c.close_time[b]);
    CHECK(got.bar.open == c.open[b]);
    CHECK(got.bar.high == c.high[b]);
    CHECK(got.bar.low == c.low[b]);
    CHECK(got.bar.close == c.close[b]);
    CHECK(got.bar.volume == c.volume[b]);
    CHECK(got.bar.quote_volume == c.quote_volume[b]);
    CHECK(got.bar.taker_buy_base_volume == c.taker_buy_base_volume[b]);
    CHECK(got.bar.trades == c.trades[b]);
  }
  CHECK(seen == data->symbols.size() * data->timeframes.size() * data->bars);
  const auto stats = feed.stats();
  CHECK(stats.malformed == 0);
  CHECK(stats.out_of_order == 0);
  CHECK(stats.duplicate == 0);
}
