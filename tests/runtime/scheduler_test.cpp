// Scheduler: one tick per close time, no lookahead across timeframes, the
// same signals whatever the worker count, dedup per candle, reload at a tick boundary.
#include <doctest/doctest.h>

#include <map>

#include "support/market_time.hpp"
#include "support/temp_dir.hpp"
#include "vyx/runtime/feeds/replay_feed.hpp"
#include "vyx/runtime/screening/scheduler.hpp"

using namespace vyx::runtime;
using vyx::test::kline_row;
using vyx::test::temp_dir;
using vyx::test::write_file;

namespace {

using vyx::test::minute;
using vyx::test::hour;
using vyx::test::t0;

const std::filesystem::path plugin_dir = VYX_TEST_PLUGIN_DIR;

trader_spec spec(const std::string& id) {
  return trader_spec{id, plugin_dir / (id + ".so"), true};
}

// A deterministic wiggly price for symbol s at minute i.
double price(int s, int i) {
  return 100 + s + ((i * 7 + s * 3) % 11) - 5 + i * 0.01;
}

// `symbols` symbols with 1m, 5m and 1h candles over `hours` hours, consistent aggregates.
void write_market(const std::filesystem::path& dir, int symbols, int hours) {
  for (int s = 0; s < symbols; ++s) {
    std::string m1, m5, h1;
    for (int i = 0; i < hours * 60; ++i) m1 += kline_row(t0 + i * minute, minute, price(s, i));
    for (int i = 0; i < hours * 12; ++i)
      m5 += kline_row(t0 + i * 5 * minute, 5 * minute, price(s, i * 5 + 4));
    for (int i = 0; i < hours; ++i) h1 += kline_row(t0 + i * hour, hour, price(s, i * 60 + 59));
    std::string name = "S" + std::to_string(100 + s) + "USDT";
    write_file(dir / name / "1m.csv", m1);
    write_file(dir / name / "5m.csv", m5);
    write_file(dir / name / "1h.csv", h1);
  }
}

std::vector<std::string> screen(const std::filesystem::path& data,
                                const std::vector<trader_spec>& traders, unsigned workers,
                                std::vector<tick_report>* ticks = nullptr) {
  replay_feed f(data);
  auto store = make_store_for(f, 500);
  worker_pool_options options;
  options.min_workers = workers;
  options.max_workers = workers;
  worker_pool pool(store, options);
  scheduler sched(f, store, pool);
  sched.request_reload(traders);
  std::vector<std::string> lines;
  sched.run([&](const tick_report& r) {
    for (const auto& s : r.signals) lines.push_back(to_json(s));
    if (ticks) ticks->push_back(r);
  });
  return lines;
}

// -999 when the signal has no value of that name.
double value_or_missing(const trader_signal& s, const std::string& name) {
  for (const auto& v : s.values)
    if (v.name == name) return v.value;
  return -999;
}

}  // namespace

TEST_CASE("one tick per close time - the hour's tick closes 1m, 5m and 1h together") {
  temp_dir dir;
  write_market(dir.path(), 2, 2);
  std::vector<tick_report> ticks;
  screen(dir.path(), {spec("rising")}, 1, &ticks);
  REQUIRE(ticks.size() == 120);
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    CHECK(ticks[i].tick == i + 1);
    CHECK(ticks[i].close_time == t0 + static_cast<std::int64_t>(i + 1) * minute - 1);
    vyx_timeframe_mask want = 1u << VYX_TF_1M;
    if ((i + 1) % 5 == 0) want |= 1u << VYX_TF_5M;
    if ((i + 1) % 60 == 0) want |= 1u << VYX_TF_1H;
    CHECK(ticks[i].closed == want);
    CHECK(ticks[i].evaluations == 2);
  }
}

TEST_CASE("a multi-timeframe trader sees 1h only once that hour has closed (no lookahead)") {
  temp_dir dir;
  write_market(dir.path(), 1, 3);
  std::vector<tick_report> ticks;
  screen(dir.path(), {spec("probe_mtf")}, 1, &ticks);
  std::size_t checked = 0;
  for (const auto& t : ticks) {
    // probe_mtf needs 5m/1h: it runs only on their closes.
    if (!(t.closed & ((1u << VYX_TF_5M) | (1u << VYX_TF_1H)))) {
      CHECK(t.evaluations == 0);
      continue;
    }
    REQUIRE(t.signals.size() == 1);
    const auto& s = t.signals[0];
    const auto now = static_cast<std::int64_t>(value_or_missing(s, "now"));
    CHECK(now == t.close_time);
    CHECK(static_cast<std::int64_t>(value_or_missing(s, "m5_close_time")) == now);
    const std::int64_t hours_closed = (now + 1 - t0) / hour;
    CHECK(static_cast<std::int64_t>(value_or_missing(s, "h1_count")) == hours_closed);
    CHECK(static_cast<std::int64_t>(value_or_missing(s, "h1_close_time")) ==
          (hours_closed == 0 ? -1 : t0 + hours_closed * hour - 1));
    CHECK(s.timeframe == VYX_TF_5M);  // the finest closed timeframe it needs
    CHECK(s.close_time == now);
    ++checked;
  }
  CHECK(checked == 36);
}

TEST_CASE("the same data gives the same signals with 1 or 2 workers, run after run") {
  temp_dir dir;
  write_market(dir.path(), 12, 2);
  auto one = screen(dir.path(), {spec("probe_mtf"), spec("rising")}, 1);
  auto two = screen(dir.path(), {spec("probe_mtf"), spec("rising")}, 2);
  auto again = screen(dir.path(), {spec("probe_mtf"), spec("rising")}, 2);
  CHECK(one.size() > 100);
  CHECK(one == two);
  CHECK(two == again);
}

TEST_CASE("a symbol whose data stopped signals once for its last candle, not on every tick") {
  temp_dir dir;
  std::string a, b;
  for (int i = 0; i < 6; ++i) a += kline_row(t0 + i * minute, minute, 10 + (i % 2));
  b = kline_row(t0, minute, 5) + kline_row(t0 + minute, minute, 6);  // rises, then no more data
  write_file(dir / "AUSDT/1m.csv", a);
  write_file(dir / "BUSDT/1m.csv", b);
  std::vector<tick_report> ticks;
  auto lines = screen(dir.path(), {spec("rising")}, 1, &ticks);
  std::map<std::string, int> per_symbol;
  for (const auto& t : ticks)
    for (const auto& s : t.signals) ++per_symbol[s.symbol];
  CHECK(per_symbol["BUSDT"] == 1);
  CHECK(per_symbol["AUSDT"] == 3);  // minutes 1, 3, 5 rise
}

TEST_CASE("a reload requested between ticks takes effect on the very next tick") {
  temp_dir dir;
  write_market(dir.path(), 3, 1);
  replay_feed f(dir.path());
  auto store = make_store_for(f, 100);
  worker_pool pool(store, {});
  scheduler sched(f, store, pool);
  sched.request_reload({spec("rising")});
  tick_report r;
  std::uint64_t expected_tick = 1;
  std::int64_t last_close = 0;
  for (int i = 0; i < 10; ++i) {
    REQUIRE(sched.step(r));
    CHECK(r.tick == expected_tick++);
    CHECK(r.close_time > last_close);
    last_close = r.close_time;
    CHECK(r.traders == std::vector<std::string>{"rising"});
  }
  sched.request_reload({spec("probe_mtf"), spec("rising")});
  REQUIRE(sched.step(r));
  CHECK(r.tick == 11);
  CHECK(r.close_time == last_close + minute);  // no tick skipped
  CHECK(r.traders == std::vector<std::string>{"probe_mtf", "rising"});
  CHECK(r.generation == 2);
  REQUIRE(sched.last_load().has_value());
  CHECK(sched.last_load()->loaded.size() == 2);
  // Minute 11 does not close a 5m candle; minute 15 does, and probe_mtf then runs.
  while (r.close_time != t0 + 15 * minute - 1) REQUIRE(sched.step(r));
  bool probe_signalled = false;
  for (const auto& s : r.signals) probe_signalled |= s.trader == "probe_mtf";
  CHECK(probe_signalled);
  auto totals = sched.totals();
  CHECK(totals["rising"].evaluations == 15 * 3);
  CHECK(totals["probe_mtf"].evaluations == 3);
}

TEST_CASE("a plugin that fails to load is reported and the old set keeps running") {
  temp_dir dir;
  write_market(dir.path(), 1, 1);
  write_file(dir / "broken.so", "not an ELF file");
  replay_feed f(dir.path());
  auto store = make_store_for(f, 100);
  worker_pool pool(store, {});
  scheduler sched(f, store, pool);
  sched.request_reload({spec("rising")});
  tick_report r;
  REQUIRE(sched.step(r));
  sched.request_reload({spec("rising"), trader_spec{"broken", dir / "broken.so", true}});
  REQUIRE(sched.step(r));
  REQUIRE(sched.last_load().has_value());
  REQUIRE(sched.last_load()->failed.size() == 1);
  CHECK(sched.last_load()->failed[0].first == "broken");
  CHECK(r.traders == std::vector<std::string>{"rising"});
}
