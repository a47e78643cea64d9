// Forming candles and the 24 h ticker through the whole path: replay files ->
// scheduler -> shared store -> sandboxed worker -> an SDK trader that emits
// what it sees (tests/runtime/plugins/forming_probe.cpp).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>

#include "support/candle_merge.hpp"
#include "support/market_time.hpp"
#include "support/temp_dir.hpp"
#include "vyx/runtime/feeds/replay_feed.hpp"
#include "vyx/runtime/screening/scheduler.hpp"

using namespace vyx::runtime;
using vyx::test::temp_dir;
using vyx::test::write_file;

namespace {

using vyx::test::minute;
using vyx::test::hour;
using vyx::test::t0;

// Minute i of symbol s; quarters, so every sum is exact.
candle minute_candle(int s, std::int64_t i) {
  candle c;
  c.open_time = t0 + i * minute;
  c.close_time = c.open_time + minute - 1;
  c.close =
      100.0 + s + static_cast<double>((i * 7 + s * 3) % 11) - 5 + static_cast<double>(i) * 0.25;
  c.open = c.close - 0.5;
  c.high = c.close + 1 + static_cast<double>(i % 3) * 0.25;
  c.low = c.open - 1 - static_cast<double>(i % 2) * 0.5;
  c.volume = 1.0 + static_cast<double>(i % 4);
  c.quote_volume = c.volume * c.close;
  c.taker_buy_base_volume = c.volume / 2;
  c.trades = 3 + i % 5;
  return c;
}

// Minutes [first, first + n) of symbol s as one candle.
candle aggregate(int s, std::int64_t first, std::int64_t n) {
  candle a = minute_candle(s, first);
  a.close_time = a.open_time + n * minute - 1;
  for (std::int64_t i = first + 1; i < first + n; ++i)
    vyx::test::merge_later(a, minute_candle(s, i));
  return a;
}

std::string csv_row(const candle& c) {
  char line[512];
  std::snprintf(line, sizeof line, "%lld,%.17g,%.17g,%.17g,%.17g,%.17g,%lld,%.17g,%lld,%.17g,0,0\n",
                static_cast<long long>(c.open_time), c.open, c.high, c.low, c.close, c.volume,
                static_cast<long long>(c.close_time), c.quote_volume,
                static_cast<long long>(c.trades), c.taker_buy_base_volume);
  return line;
}

void write_market(const std::filesystem::path& dir, int symbols, std::int64_t minutes) {
  for (int s = 0; s < symbols; ++s) {
    std::string m1, m5, h1;
    for (std::int64_t i = 0; i < minutes; ++i) m1 += csv_row(minute_candle(s, i));
    for (std::int64_t i = 0; i + 5 <= minutes; i += 5) m5 += csv_row(aggregate(s, i, 5));
    for (std::int64_t i = 0; i + 60 <= minutes; i += 60) h1 += csv_row(aggregate(s, i, 60));
    const std::string name = "S" + std::to_string(100 + s) + "USDT";
    write_file(dir / name / "1m.csv", m1);
    write_file(dir / name / "5m.csv", m5);
    write_file(dir / name / "1h.csv", h1);
  }
}

trader_spec probe() {
  return trader_spec{"forming_probe",
                     std::filesystem::path(VYX_TEST_PLUGIN_DIR) / "forming_probe.so", true};
}

std::vector<tick_report> screen(const std::filesystem::path& data, unsigned workers,
                                std::uint32_t capacity = 500) {
  replay_feed f(data);
  auto store = make_store_for(f, capacity);
  worker_pool_options options;
  options.min_workers = workers;
  options.max_workers = workers;
  // forming_probe is built by the host C++ toolchain (libstdc++, start
  // files), not by vyxc: it is here to probe the forming candle, not the audit.
  options.audit_plugins = false;
  worker_pool pool(store, options);
  scheduler sched(f, store, pool);
  sched.request_reload({probe()});
  std::vector<tick_report> ticks;
  sched.run([&](const tick_report& r) {
    if (!r.signals.empty()) ticks.push_back(r);
  });
  return ticks;
}

double value_of(const trader_signal& s, const std::string& name) {
  for (const auto& v : s.values)
    if (v.name == name) return v.value;
  FAIL("no value named " << name);
  return 0;
}

}  // namespace

TEST_CASE("an SDK trader evaluated at a 5m close sees the 1h forming candle as of that moment") {
  temp_dir dir;
  write_market(dir.path(), 2, 3 * 60);
  const auto ticks = screen(dir.path(), 1);
  std::size_t checked = 0;
  for (const auto& t : ticks) {
    for (const auto& s : t.signals) {
      const int sym = s.symbol == "S100USDT" ? 0 : 1;
      const auto now = static_cast<std::int64_t>(value_of(s, "now"));
      CAPTURE(now);
      REQUIRE(now == t.close_time);
      const std::int64_t minutes = (now + 1 - t0) / minute;  // closed so far
      CHECK(value_of(s, "h1_count") == static_cast<double>(minutes / 60));
      const std::int64_t into_hour = minutes % 60;
      if (into_hour == 0) {
        CHECK(value_of(s, "has_forming") == 0);  // the hour just closed: nothing forming yet
      } else {
        REQUIRE(value_of(s, "has_forming") == 1);
        const candle want = aggregate(sym, minutes - into_hour, into_hour);
        CHECK(value_of(s, "f_open_time") == static_cast<double>(want.open_time));
        CHECK(value_of(s, "f_close_time") == static_cast<double>(want.open_time + hour - 1));
        CHECK(value_of(s, "f_open") == want.open);
        CHECK(value_of(s, "f_high") == want.high);
        CHECK(value_of(s, "f_low") == want.low);
        CHECK(value_of(s, "f_close") == want.close);
        CHECK(value_of(s, "f_volume") == want.volume);
        CHECK(value_of(s, "f_quote_volume") == want.quote_volume);
        CHECK(value_of(s, "f_taker_buy") == want.taker_buy_base_volume);
        CHECK(value_of(s, "f_trades") == static_cast<double>(want.trades));
        CHECK(value_of(s, "f_close") == minute_candle(sym, minutes - 1).close);  // now's price
      }
      CHECK(value_of(s, "t_last") == minute_candle(sym, minutes - 1).close);
      CHECK(std::isnan(value_of(s, "t_change")));  // 3 hours: no 24 h history yet
      CHECK(std::isnan(value_of(s, "t_quote_volume")));
      ++checked;
    }
  }
  CHECK(checked == 2 * 36);  // two symbols, every 5m close of three hours
}

TEST_CASE("the trader sees the 24 h ticker once a day of history is in the store") {
  temp_dir dir;
  write_market(dir.path(), 1, 26 * 60);
  const auto ticks = screen(dir.path(), 1);  // capacity 500: from 5m candles
  std::size_t with_ticker = 0;
  for (const auto& t : ticks) {
    const auto& s = t.signals.at(0);
    const std::int64_t minutes = (t.close_time + 1 - t0) / minute;
    CAPTURE(minutes);
    CHECK(value_of(s, "t_last") == minute_candle(0, minutes - 1).close);
    if (minutes < 24 * 60) {
      CHECK(std::isnan(value_of(s, "t_quote_volume")));
      continue;
    }
    // Evaluated at 5m closes: the window is exactly the last 24 h of minutes.
    const std::int64_t first = minutes - 24 * 60;
    double quote_volume = 0;
    for (std::int64_t k = first; k < minutes; ++k) quote_volume += minute_candle(0, k).quote_volume;
    const double open = minute_candle(0, first).open, last = minute_candle(0, minutes - 1).close;
    CHECK(value_of(s, "t_quote_volume") == doctest::Approx(quote_volume).epsilon(1e-12));
    CHECK(value_of(s, "t_change") == doctest::Approx((last - open) / open * 100));
    ++with_ticker;
  }
  CHECK(with_ticker == 2 * 12 + 1);  // 5m closes from minute 1440 through 1560
}

TEST_CASE("forming candles and tickers give the same signals with 1 or 2 workers") {
  temp_dir dir;
  write_market(dir.path(), 10, 2 * 60);
  auto lines = [&](unsigned workers) {
    std::vector<std::string> out;
    for (const auto& t : screen(dir.path(), workers))
      for (const auto& s : t.signals) out.push_back(to_json(s));
    return out;
  };
  const auto one = lines(1), two = lines(2);
  CHECK(one.size() == 10 * 24);
  CHECK(one == two);
}
