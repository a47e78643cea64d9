// Replay feed: Binance CSV and fixture JSON, time-ordered merge across files,
// and bad rows counted and skipped with file and line.
#include <doctest/doctest.h>

#include <algorithm>
#include <thread>

#include "support/market_time.hpp"
#include "support/temp_dir.hpp"
#include "vyx/runtime/feeds/replay_feed.hpp"

using namespace vyx::runtime;
using vyx::test::kline_row;
using vyx::test::temp_dir;
using vyx::test::write_file;

namespace {

using vyx::test::minute;
using vyx::test::t0;

std::vector<closed_candle> drain(feed& f) {
  std::vector<closed_candle> out;
  closed_candle c;
  while (f.next(c)) out.push_back(c);
  return out;
}

bool has_warning(const feed_stats& s, const std::string& needle) {
  return std::any_of(s.warnings.begin(), s.warnings.end(),
                     [&](const std::string& w) { return w.find(needle) != std::string::npos; });
}

}  // namespace

TEST_CASE("CSV with and without header, merged in close-time order across symbols and timeframes") {
  temp_dir dir;
  std::string one_minute =
      "open_time,open,high,low,close,volume,close_time,quote_volume,count,"
      "taker_buy_volume,taker_buy_quote_volume,ignore\n";
  for (int i = 0; i < 10; ++i) one_minute += kline_row(t0 + i * minute, minute, 100 + i);
  write_file(dir / "ETHUSDT/1m.csv", one_minute);
  std::string five = kline_row(t0, 5 * minute, 200) + kline_row(t0 + 5 * minute, 5 * minute, 201);
  write_file(dir / "BTCUSDT/5m.csv", five);
  write_file(dir / "BTCUSDT/notes.txt", "ignored\n");

  replay_feed f(dir.path());
  REQUIRE(f.symbols() == std::vector<std::string>{"BTCUSDT", "ETHUSDT"});
  CHECK(f.timeframes() == ((1u << VYX_TF_1M) | (1u << VYX_TF_5M)));
  auto all = drain(f);
  REQUIRE(all.size() == 12);
  for (std::size_t i = 1; i < all.size(); ++i) {
    const auto& a = all[i - 1];
    const auto& b = all[i];
    CHECK(std::tie(a.bar.close_time, a.timeframe, a.symbol_index) <
          std::tie(b.bar.close_time, b.timeframe, b.symbol_index));
  }
  // The 5m candle closing with the 5th minute comes right after that minute.
  CHECK(all[4].timeframe == VYX_TF_1M);
  CHECK(all[5].timeframe == VYX_TF_5M);
  CHECK(all[5].symbol_index == 0);
  CHECK(all[5].bar.close == 200);
  CHECK(all[0].bar.trades == 7);
  CHECK(all[0].bar.taker_buy_base_volume == doctest::Approx(0.5));
  auto stats = f.stats();
  CHECK(stats.candles == 12);
  CHECK(stats.malformed == 0);
}

TEST_CASE(
    "malformed, out-of-order and duplicate rows are counted and skipped, naming file and line") {
  temp_dir dir;
  std::string rows;
  rows += kline_row(t0, minute, 10);           // line 1 ok
  rows += "garbage,row\n";                     // line 2 malformed
  rows += kline_row(t0 + minute, minute, 11);  // line 3 ok
  rows += kline_row(t0 + minute, minute, 11);  // line 4 duplicate
  rows += kline_row(t0, minute, 9);            // line 5 out of order
  rows += "\n";                                // line 6 blank: not counted
  rows += std::to_string(t0 + 2 * minute) + ",1,2,0.5,1.5,abc," +
          std::to_string(t0 + 3 * minute - 1) + "\n";  // 7 bad number
  rows += std::to_string(t0 + 2 * minute) + ",1,0.5,2,1.5,1," +
          std::to_string(t0 + 3 * minute - 1) + "\n";  // 8 high<low
  rows += std::to_string(t0 + 2 * minute) + ",1,2,0.5,1.5,1," +
          std::to_string(t0 + 2 * minute + 5) + "\n";  // 9 bad close time
  rows += std::to_string(t0 + 2 * minute + 7) + ",1,2,0.5,1.5,1," +
          std::to_string(t0 + 3 * minute + 6) + "\n";  // 10 off boundary
  rows += "open_time,open,high\n";                     // 11 header in the middle: malformed
  rows += kline_row(t0 + 2 * minute, minute, 12);      // 12 ok
  rows += "1,2,3,4,5,6,7,8,9,10,11,12,13\n";           // 13 too many fields
  rows += std::to_string(t0 + 3 * minute) + ",nan,2,0.5,1.5,1," +
          std::to_string(t0 + 4 * minute - 1) + "\n";  // 14 NaN
  write_file(dir / "XUSDT/1m.csv", rows);

  replay_feed f(dir.path());
  auto all = drain(f);
  REQUIRE(all.size() == 3);
  CHECK(all[0].bar.close == 10);
  CHECK(all[1].bar.close == 11);
  CHECK(all[2].bar.close == 12);
  auto s = f.stats();
  CHECK(s.malformed == 8);
  CHECK(s.duplicate == 1);
  CHECK(s.out_of_order == 1);
  const std::string file = (dir / "XUSDT/1m.csv").string();
  CHECK(has_warning(s, file + ":2: malformed row"));
  CHECK(has_warning(s, file + ":4: duplicate"));
  CHECK(has_warning(s, file + ":5: candle at"));
  CHECK(has_warning(s, file + ":8: high/low"));
  CHECK(has_warning(s, file + ":9: close time"));
  CHECK(has_warning(s, file + ":10: open time"));
  CHECK(has_warning(s, file + ":14: price"));
  CHECK_FALSE(has_warning(s, file + ":6:"));
}

TEST_CASE("binary garbage and truncated lines never crash the feed") {
  temp_dir dir;
  std::string junk;
  for (int i = 0; i < 2000; ++i) junk += static_cast<char>((i * 7919) % 256);
  write_file(dir / "AUSDT/1m.csv", junk + "\n" + kline_row(t0, minute, 5) + "123,4");
  replay_feed f(dir.path());
  auto all = drain(f);
  CHECK(all.size() == 1);
  CHECK(f.stats().malformed >= 1);
}

TEST_CASE("microsecond timestamps (newer Binance exports) are read as milliseconds") {
  temp_dir dir;
  std::int64_t open_us = t0 * 1000;
  write_file(dir / "BUSDT/1m.csv", std::to_string(open_us) + ",1,2,0.5,1.5,3," +
                                       std::to_string(open_us + minute * 1000 - 1) +
                                       ",4.5,2,1,1.5,0\n");
  replay_feed f(dir.path());
  auto all = drain(f);
  REQUIRE(all.size() == 1);
  CHECK(all[0].bar.open_time == t0);
  CHECK(all[0].bar.close_time == t0 + minute - 1);
}

#ifdef VYX_FIXTURE_DIR
TEST_CASE("an indicator fixture JSON replays as its symbol and interval") {
  replay_feed f(std::filesystem::path(VYX_FIXTURE_DIR) / "public_2.json");
  REQUIRE(f.symbols().size() == 1);
  CHECK(f.symbols()[0] == "SYN-SHIBUSDT");
  CHECK(f.timeframes() == (1u << VYX_TF_5M));
  auto all = drain(f);
  CHECK(all.size() == 600);
  CHECK(all[0].bar.close_time == all[0].bar.open_time + 5 * minute - 1);
  CHECK(f.stats().malformed == 0);
}

TEST_CASE("fixture JSON inside the directory layout takes the directory's symbol") {
  temp_dir dir;
  std::filesystem::create_directories(dir / "ETHUSDT");
  std::filesystem::copy_file(std::filesystem::path(VYX_FIXTURE_DIR) / "public_3.json",
                             dir / "ETHUSDT/1h.json");
  replay_feed f(dir.path());
  CHECK(f.symbols() == std::vector<std::string>{"ETHUSDT"});
  CHECK(drain(f).size() == 600);
}
#endif

TEST_CASE("--from/--to keep only candles inside the window") {
  temp_dir dir;
  std::string rows;
  for (int i = 0; i < 10; ++i) rows += kline_row(t0 + i * minute, minute, 100 + i);
  write_file(dir / "CUSDT/1m.csv", rows);
  replay_options options;
  options.from_ms = t0 + 2 * minute;
  options.to_ms = t0 + 5 * minute - 1;
  replay_feed f(dir.path(), options);
  auto all = drain(f);
  REQUIRE(all.size() == 3);
  CHECK(all.front().bar.open_time == t0 + 2 * minute);
  CHECK(all.back().bar.close_time == t0 + 5 * minute - 1);
}

TEST_CASE("a paced replay can be stopped from another thread") {
  temp_dir dir;
  std::string rows;
  for (int i = 0; i < 3; ++i) rows += kline_row(t0 + i * 60 * minute, 60 * minute, 100 + i);
  write_file(dir / "DUSDT/1h.csv", rows);
  replay_options options;
  options.speed = 1;  // real time: an hour between candles
  replay_feed f(dir.path(), options);
  closed_candle c;
  REQUIRE(f.next(c));  // the first candle is due at once
  std::thread stopper([&] { f.stop(); });
  CHECK_FALSE(f.next(c));  // would wait an hour; stop() ends it
  stopper.join();
}

TEST_CASE("a path with no data is a clear startup error") {
  temp_dir dir;
  CHECK_THROWS_WITH_AS(replay_feed(dir.path()), doctest::Contains("no candle files"),
                       std::runtime_error);
  CHECK_THROWS_AS(replay_feed(dir / "missing"), std::runtime_error);
}
