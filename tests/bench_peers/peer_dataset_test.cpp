// The peers' dataset reader: values against the file their gendata wrote
// (decoded independently), the candle invariants gendata guarantees, and bad files.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>

#include "peer_dataset.hpp"
#include "test_data.hpp"

using namespace vyx::bench::peers;
using namespace vyx::test::peers;

namespace {

constexpr std::int64_t end_time = 1'735'689'600'000;  // gendata's last close + 1 ms (2025-01-01)
constexpr std::int64_t timeframe_ms[] = {60'000, 300'000, 3'600'000};

peer_dataset read_tiny() {
  std::string error;
  auto data = read_peer_dataset(tiny_dataset(), error);
  REQUIRE_MESSAGE(data.has_value(), error);
  return std::move(*data);
}

std::string read_error(const std::string& bytes) {
  scratch_dir dir;
  write_bytes(dir / "bad.bin", bytes);
  std::string error;
  auto data = read_peer_dataset(dir / "bad.bin", error);
  CHECK_FALSE(data.has_value());
  return error;
}

void put_u32(std::string& bytes, std::size_t at, std::uint32_t value) {
  std::memcpy(bytes.data() + at, &value, 4);
}

}  // namespace

TEST_CASE("the header, names and shape of a gendata file") {
  const auto data = read_tiny();
  CHECK(data.seed == 42);
  CHECK(data.bars == 8);
  CHECK(data.timeframes == std::vector<std::string>{"1m", "5m", "1h"});
  CHECK(data.symbols == std::vector<std::string>{"SYM0000USDT", "SYM0001USDT"});
  REQUIRE(data.candles.size() == 2);
  for (const auto& per_symbol : data.candles) {
    REQUIRE(per_symbol.size() == 3);
    for (const auto& c : per_symbol) {
      CHECK(c.size() == 8);
      for (auto n : {c.open_time.size(), c.close_time.size(), c.open.size(), c.high.size(),
                     c.low.size(), c.volume.size(), c.quote_volume.size(),
                     c.taker_buy_base_volume.size(), c.trades.size()})
        CHECK(n == 8);
    }
  }
  CHECK(data.timeframe_index("1h") == 2u);
  CHECK_FALSE(data.timeframe_index("4h").has_value());
  CHECK(data.symbol_index("SYM0001USDT") == 1u);
  CHECK_FALSE(data.symbol_index("BTCUSDT").has_value());
  CHECK(offset_of_bar(data, 7) == 0);
  CHECK(offset_of_bar(data, 0) == 7);
}

TEST_CASE("every field of a few bars, in the file's field order") {
  // Expected values decoded from the file with Python's struct module.
  const auto data = read_tiny();
  const auto& a = data.at(0, 0);  // SYM0000USDT 1m, bar 0
  CHECK(a.open_time[0] == 1735689120000);
  CHECK(a.close_time[0] == 1735689179999);
  CHECK(a.open[0] == 3107.661);
  CHECK(a.high[0] == 3107.986);
  CHECK(a.low[0] == 3099.805);
  CHECK(a.close[0] == 3101.482);
  CHECK(a.volume[0] == 9.057);
  CHECK(a.taker_buy_base_volume[0] == 3.277);
  CHECK(a.quote_volume[0] == 28104.695);
  CHECK(a.trades[0] == 8);

  const auto& h = data.at(1, 2);  // SYM0001USDT 1h, last bar
  CHECK(h.open_time[7] == 1735686000000);
  CHECK(h.close_time[7] == 1735689599999);
  CHECK(h.open[7] == 66028.68);
  CHECK(h.high[7] == 66269.69);
  CHECK(h.low[7] == 64848.0);
  CHECK(h.close[7] == 65055.42);
  CHECK(h.volume[7] == 203.36);
  CHECK(h.taker_buy_base_volume[7] == 64.964);
  CHECK(h.quote_volume[7] == 13297921.217);
  CHECK(h.trades[7] == 23);

  const auto& m = data.at(0, 1);  // SYM0000USDT 5m, bar 3
  CHECK(m.open_time[3] == 1735688100000);
  CHECK(m.close[3] == 3112.107);
  CHECK(m.trades[3] == 7);
}

TEST_CASE(
    "the candles hold gendata's invariants: aligned times, chained prices, consistent ranges") {
  const auto data = read_tiny();
  for (std::size_t s = 0; s < data.symbols.size(); ++s) {
    for (std::size_t t = 0; t < data.timeframes.size(); ++t) {
      const auto& c = data.at(s, t);
      const std::int64_t ms = timeframe_ms[t];
      CAPTURE(s);
      CAPTURE(t);
      CHECK(c.close_time.back() == end_time - 1);
      for (std::size_t b = 0; b < c.size(); ++b) {
        CHECK(c.close_time[b] == c.open_time[b] + ms - 1);
        CHECK(c.open_time[b] % ms == 0);
        if (b > 0) CHECK(c.open[b] == c.close[b - 1]);
        CHECK(c.high[b] >= std::max(c.open[b], c.close[b]));
        CHECK(c.low[b] <= std::min(c.open[b], c.close[b]));
        CHECK(c.low[b] > 0);
        CHECK(c.taker_buy_base_volume[b] <= c.volume[b]);
        CHECK(c.trades[b] >= 1);
      }
    }
  }
}

TEST_CASE(
    "a missing file, a foreign file, a truncated file and a lying header are errors, not crashes") {
  std::string error;
  CHECK_FALSE(read_peer_dataset("/nonexistent/peers.bin", error).has_value());
  CHECK(error.find("/nonexistent/peers.bin: cannot open") != std::string::npos);

  const std::string good = read_bytes(tiny_dataset());
  REQUIRE(good.size() == 3928);
  CHECK(read_error("").find("magic TRDPERF1 missing") != std::string::npos);
  CHECK(read_error("TRDPERF2" + good.substr(8)).find("magic TRDPERF1 missing") !=
        std::string::npos);
  CHECK(read_error(good.substr(0, good.size() - 1)).find("does not match its header") !=
        std::string::npos);
  CHECK(read_error(good + "x").find("does not match its header") != std::string::npos);

  std::string nine_fields = good;
  put_u32(nine_fields, 20, 9);
  CHECK(read_error(nine_fields).find("expected 10 fields per bar, got 9") != std::string::npos);

  // Counts whose product overflows 64 bits must be refused before any allocation.
  std::string huge = good;
  put_u32(huge, 8, 0xffffffffu);
  put_u32(huge, 12, 0xffffffffu);
  put_u32(huge, 16, 0xffffffffu);
  CHECK(read_error(huge).find("does not match its header") != std::string::npos);
  std::string more_symbols = good;
  put_u32(more_symbols, 8, 3);
  CHECK(read_error(more_symbols).find("3 symbols x 3 timeframes x 8 bars") != std::string::npos);
}
