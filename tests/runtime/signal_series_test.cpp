// A signal's chart series: converted to {x, y} points (POINTS as their pairs,
// LINE and BAR at their candles' close times), rendered into
// indicator_data beside the emitted values and the klines, dropped whole
// when a filter indicator id is missing, and never at the cost of the signal.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "support/market_time.hpp"
#include "support/temp_dir.hpp"
#include "vyx/runtime/feeds/replay_feed.hpp"
#include "vyx/runtime/screening/scheduler.hpp"
#include "vyx/runtime/screening/signal_series.hpp"
#include "vyx/runtime/sinks/signal_row.hpp"

using namespace vyx::runtime;
using vyx::test::kline_row;
using vyx::test::minute;
using vyx::test::t0;
using vyx::test::temp_dir;
using vyx::test::write_file;

namespace {

const std::filesystem::path series_plugin_dir = VYX_TEST_PLUGIN_DIR;

// One symbol, 1m only, two candles: closes at t0 + 1 min - 1 and t0 + 2 min - 1.
candle_store two_candle_store() {
  candle_store store = candle_store::create({{"BTCUSDT"}, 1u << VYX_TF_1M, 8});
  for (int i = 0; i < 2; ++i)
    store.append(0, VYX_TF_1M,
                 candle{t0 + i * minute, t0 + (i + 1) * minute - 1, 10.0 + i, 11.0 + i, 9.0 + i,
                        10.5 + i, 2, 21, 1, 7});
  return store;
}

std::string indicator_data_of(const std::string& row) {
  const std::string key = "\"indicator_data\":";
  const auto at = row.find(key);
  REQUIRE(at != std::string::npos);
  return row.substr(at + key.size(), row.size() - at - key.size() - 1);  // less the row's '}'
}

// The newest tick's signal of `trader`, stepping until there is one.
trader_signal next_signal_from(scheduler& sched, const std::string& trader) {
  tick_report r;
  for (int ticks = 0; ticks < 10; ++ticks) {
    REQUIRE(sched.step(r));
    for (const auto& s : r.signals)
      if (s.trader == trader) return s;
  }
  FAIL("no signal of " << trader);
  return {};
}

}  // namespace

TEST_CASE("indicator_data holds POINTS and LINE series as x-y points and a series beats a value") {
  candle_store store = two_candle_store();
  plot_result plot;
  // Three values over two candles: the third has no candle, hence no time.
  plot.series.push_back({"line", VYX_PLOT_LINE, VYX_TF_1M, false, {1.25, NAN, 3}});
  plot.series.push_back({"na\"me", VYX_PLOT_POINTS, 0, true, {1'700'000'000'000.0, 7.5}});
  plot.series.push_back({"hourly", VYX_PLOT_BAR, VYX_TF_1H, true, {1}});  // no 1h candles here

  trader_signal s;
  s.trader = "t";
  s.symbol = "BTCUSDT";
  s.timeframe = VYX_TF_1M;
  s.close_time = t0 + 2 * minute - 1;
  s.price = 11.5;
  s.values = {{"line", 99}, {"rsi", 28.5}};
  s.series = signal_series_points(plot, store, 0);

  signal_row_context context;
  context.klines = 1;
  const std::string row = signal_row_renderer(store, context).render(s);
  CHECK(indicator_data_of(row) ==
        R"({"line":[{"x":1699999259999,"y":1.25},{"x":1699999319999,"y":null}],)"
        R"("na\"me":[{"x":1700000000000,"y":7.5}],"hourly":[],)"
        R"("rsi":[{"x":1699999319999,"y":28.5}],)"
        R"("klines":[{"x":1699999319999,"o":11,"h":12,"l":10,"c":11.5,"v":2}]})");
}

TEST_CASE("without series indicator_data is the emitted values and the klines as before") {
  candle_store store = two_candle_store();
  trader_signal s;
  s.trader = "t";
  s.symbol = "BTCUSDT";
  s.timeframe = VYX_TF_1M;
  s.close_time = t0 + 2 * minute - 1;
  s.values = {{"rsi", 28.5}, {"klines", 1}};  // the host's key is not taken by a value
  signal_row_context context;
  context.klines = 1;
  CHECK(indicator_data_of(signal_row_renderer(store, context).render(s)) ==
        R"({"rsi":[{"x":1699999319999,"y":28.5}],)"
        R"("klines":[{"x":1699999319999,"o":11,"h":12,"l":10,"c":11.5,"v":2}]})");
}

TEST_CASE("a signal gets its trader's series as of its candle unless an indicator id is missing "
          "or series() faults - the signal stays either way") {
  temp_dir dir;
  std::string m1;
  for (int i = 0; i < 10; ++i) m1 += kline_row(t0 + i * minute, minute, 100 + i);  // rising
  write_file(dir / "AUSDT" / "1m.csv", m1);
  replay_feed feed(dir.path());
  candle_store store = make_store_for(feed, 100);
  worker_pool pool(store, {});
  scheduler sched(feed, store, pool);
  sched.request_reload({trader_spec{"rising", series_plugin_dir / "rising.so", true},
                        trader_spec{"series_crash", series_plugin_dir / "series_crash.so", true}});
  signal_series_source series(pool, store);

  next_signal_from(sched, "rising");                    // the second candle: 101 > 100
  trader_signal rising = next_signal_from(sched, "rising");  // the third: avg3 exists
  series.attach(rising, {});
  REQUIRE(rising.series.size() == 2);  // avg3 over the price, change in its own panel
  CHECK(rising.series[0].name == "avg3");
  CHECK(rising.series[1].name == "change");
  REQUIRE(rising.series[0].points.size() == 3);
  CHECK(rising.series[0].points[2].x == static_cast<double>(rising.close_time));
  CHECK(rising.series[0].points[2].y == doctest::Approx(101));
  CHECK(std::isnan(rising.series[0].points[0].y));

  series.attach(rising, {"avg3"});
  CHECK(rising.series.size() == 2);
  series.attach(rising, {"avg3", "ema20"});  // the platform would drop the whole output
  CHECK(rising.series.empty());
  CHECK(rising.values.size() == 1);  // the signal itself is untouched

  trader_signal crashed = next_signal_from(sched, "series_crash");
  series.attach(crashed, {});
  CHECK(crashed.series.empty());
  REQUIRE(crashed.values.size() == 1);
  CHECK(crashed.values[0].name == "close");
  // The crashed worker was replaced: the next tick screens and signals as before.
  CHECK(next_signal_from(sched, "series_crash").close_time == crashed.close_time + minute);
}

// What a signal's series add to the scheduler's thread: one run_series round
// trip to a worker per signal, set beside the tick it follows.
TEST_CASE("a signal's series evaluation stays within the per-evaluation deadline") {
  temp_dir dir;
  for (int symbol = 0; symbol < 20; ++symbol) {
    std::string m1;
    for (int i = 0; i < 60; ++i) m1 += kline_row(t0 + i * minute, minute, 100 + symbol + i);
    write_file(dir / ("S" + std::to_string(100 + symbol) + "USDT") / "1m.csv", m1);
  }
  replay_feed feed(dir.path());
  candle_store store = make_store_for(feed, 100);
  worker_pool_options options;
  options.min_workers = options.max_workers = 2;
  worker_pool pool(store, options);
  scheduler sched(feed, store, pool);
  sched.request_reload({trader_spec{"rising", series_plugin_dir / "rising.so", true}});
  signal_series_source series(pool, store);
  std::vector<double> tick_ms, series_ms;
  tick_report r;
  while (sched.step(r)) {
    tick_ms.push_back(std::chrono::duration<double, std::milli>(r.elapsed).count());
    for (auto& s : r.signals) {
      const auto start = std::chrono::steady_clock::now();
      series.attach(s, {"avg3"});
      series_ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count());
      CHECK(s.series.size() == 2);
    }
  }
  REQUIRE(series_ms.size() == 59 * 20);  // every symbol rises on every candle but the first
  std::sort(tick_ms.begin(), tick_ms.end());
  std::sort(series_ms.begin(), series_ms.end());
  MESSAGE("tick (20 symbols) p50 " << tick_ms[tick_ms.size() / 2] << " ms, max " << tick_ms.back()
                                   << " ms; series per signal p50 "
                                   << series_ms[series_ms.size() / 2] << " ms, max "
                                   << series_ms.back() << " ms");
  CHECK(series_ms.back() < 250);  // the deadline a series() is held to
}
