// Forming candles aggregated from the finest timeframe's closes, and the
// 24 h ticker, on small hand-made data (values chosen so sums are exact).
#include <doctest/doctest.h>

#include <cmath>

#include "support/candle_merge.hpp"
#include "market/ticker_24h.hpp"
#include "support/market_time.hpp"
#include "vyx/runtime/market/forming_aggregator.hpp"

using namespace vyx::runtime;

namespace {

using vyx::test::minute;
using vyx::test::hour;
using vyx::test::t0;

// Minute i of the test market.
candle minute_candle(std::int64_t i) {
  candle c;
  c.open_time = t0 + i * minute;
  c.close_time = c.open_time + minute - 1;
  c.open = 10.0 + static_cast<double>(i);
  c.high = c.open + 1 + static_cast<double>(i % 3);
  c.low = c.open - 0.5 - static_cast<double>(i % 2);
  c.close = c.open + 0.25;
  c.volume = 1.0 + static_cast<double>(i);
  c.quote_volume = 2 * c.volume;
  c.taker_buy_base_volume = 0.5;
  c.trades = 3;
  return c;
}

// Minutes [first, first + n) as one candle (what an exchange's 5m/1h row holds).
candle aggregate(std::int64_t first, std::int64_t n) {
  candle a = minute_candle(first);
  a.close_time = a.open_time + n * minute - 1;
  for (std::int64_t i = first + 1; i < first + n; ++i) vyx::test::merge_later(a, minute_candle(i));
  return a;
}

candle_store store_of(vyx_timeframe_mask timeframes, std::uint32_t capacity) {
  candle_store_layout layout;
  layout.symbols = {"AUSDT"};
  layout.timeframes = timeframes;
  layout.capacity = capacity;
  return candle_store::create(layout);
}

constexpr vyx_timeframe_mask m1_m5_h1 = (1u << VYX_TF_1M) | (1u << VYX_TF_5M) | (1u << VYX_TF_1H);

// One tick as the scheduler runs it: minute i closes, with 5m/1h rows on their boundaries.
void tick(candle_store& store, forming_aggregator& agg, std::int64_t i) {
  auto put = [&](vyx_timeframe tf, const candle& c) {
    if (!(store.timeframes() & (1u << tf))) return;
    store.append(0, tf, c);
    agg.closed(0, tf, c);
  };
  put(VYX_TF_1M, minute_candle(i));
  if ((i + 1) % 5 == 0) put(VYX_TF_5M, aggregate(i - 4, 5));
  if ((i + 1) % 60 == 0) put(VYX_TF_1H, aggregate(i - 59, 60));
  agg.end_tick();
}

candle forming_of(const candle_store& store, vyx_timeframe tf) {
  auto f = store.forming(0, tf);
  REQUIRE(f.has_value());
  return *f;
}

}  // namespace

TEST_CASE("1m closes build the 5m and 1h forming candles (values checked by hand)") {
  auto store = store_of(m1_m5_h1, 100);
  forming_aggregator agg(store);
  for (std::int64_t i = 0; i <= 2; ++i) tick(store, agg, i);
  // Minutes 0..2: open 10, highs 11 13 15, lows 9.5 9.5 11.5, closes ... 12.25.
  for (vyx_timeframe tf : {VYX_TF_5M, VYX_TF_1H}) {
    CAPTURE(tf);
    const candle f = forming_of(store, tf);
    CHECK(f.open_time == t0);
    CHECK(f.close_time == t0 + (tf == VYX_TF_5M ? 5 * minute : hour) - 1);
    CHECK(f.open == 10);
    CHECK(f.high == 15);
    CHECK(f.low == 9.5);
    CHECK(f.close == 12.25);
    CHECK(f.volume == 6);  // 1 + 2 + 3
    CHECK(f.quote_volume == 12);
    CHECK(f.taker_buy_base_volume == 1.5);
    CHECK(f.trades == 9);
    CHECK(store.view(0, tf).count == 0);
    CHECK(store.view(0, tf).has_forming == 1);
  }
  CHECK(store.view(0, VYX_TF_1M).has_forming == 0);  // the finest has none in replay

  // Minute 4 closes the first 5m candle: its closed row replaces the forming one.
  tick(store, agg, 3);
  tick(store, agg, 4);
  auto m5 = store.view(0, VYX_TF_5M);
  CHECK(m5.count == 1);
  CHECK(m5.has_forming == 0);
  CHECK(m5.close[0] == 14.25);
  const candle h = forming_of(store, VYX_TF_1H);  // minutes 0..4: high 16 at minute 4
  CHECK(h.open == 10);
  CHECK(h.high == 16);
  CHECK(h.low == 9.5);
  CHECK(h.close == 14.25);
  CHECK(h.volume == 15);
  CHECK(h.quote_volume == 30);
  CHECK(h.taker_buy_base_volume == 2.5);
  CHECK(h.trades == 15);

  // Minute 5 starts the next 5m period.
  tick(store, agg, 5);
  const candle f5 = forming_of(store, VYX_TF_5M);
  CHECK(f5.open_time == t0 + 5 * minute);
  CHECK(f5.open == 15);
  CHECK(f5.high == 18);
  CHECK(f5.low == 13.5);
  CHECK(f5.close == 15.25);
  CHECK(f5.volume == 6);
  CHECK(f5.trades == 3);
  CHECK(forming_of(store, VYX_TF_1H).volume == 21);
}

TEST_CASE("at every minute the forming candles equal the aggregate of the minutes so far") {
  auto store = store_of(m1_m5_h1, 100);
  forming_aggregator agg(store);
  for (std::int64_t i = 0; i < 150; ++i) {
    CAPTURE(i);
    tick(store, agg, i);
    for (auto [tf, n] :
         {std::pair{VYX_TF_5M, std::int64_t{5}}, std::pair{VYX_TF_1H, std::int64_t{60}}}) {
      const std::int64_t done = (i + 1) % n;  // minutes of the open period so far
      auto v = store.view(0, tf);
      CHECK(v.count == static_cast<std::uint64_t>((i + 1) / n));
      if (done == 0) {
        CHECK(v.has_forming == 0);  // just closed: the closed row, nothing forming
        continue;
      }
      const candle want = aggregate(i + 1 - done, done);
      const candle got = forming_of(store, tf);
      CHECK(got.open_time == want.open_time);
      CHECK(got.close_time == want.open_time + n * minute - 1);  // the period's end
      CHECK(got.open == want.open);
      CHECK(got.high == want.high);
      CHECK(got.low == want.low);
      CHECK(got.close == want.close);
      CHECK(got.volume == want.volume);
      CHECK(got.quote_volume == want.quote_volume);
      CHECK(got.taker_buy_base_volume == want.taker_buy_base_volume);
      CHECK(got.trades == want.trades);
      CHECK(got.close_time > minute_candle(i).close_time);  // nothing after now is known...
      CHECK(got.close == minute_candle(i).close);           // ...the latest price is now's
    }
  }
}

TEST_CASE("a symbol without the finest timeframe aggregates from its own finest") {
  auto store = store_of(m1_m5_h1, 100);
  forming_aggregator agg(store);
  for (std::int64_t i = 0; i < 15; ++i) {
    if ((i + 1) % 5 != 0) continue;
    const candle c = aggregate(i - 4, 5);
    store.append(0, VYX_TF_5M, c);
    agg.closed(0, VYX_TF_5M, c);
    agg.end_tick();
  }
  const candle f = forming_of(store, VYX_TF_1H);
  const candle want = aggregate(0, 15);
  CHECK(f.open == want.open);
  CHECK(f.high == want.high);
  CHECK(f.low == want.low);
  CHECK(f.close == want.close);
  CHECK(f.volume == want.volume);
  CHECK(f.trades == want.trades);
}

TEST_CASE("the ticker's timeframe: the finest loaded one up to 1h whose capacity spans a day") {
  CHECK(ticker_timeframe(store_of(m1_m5_h1, 300), VYX_TF_1M) == VYX_TF_5M);
  CHECK(ticker_timeframe(store_of(m1_m5_h1, 1440), VYX_TF_1M) == VYX_TF_1M);
  CHECK(ticker_timeframe(store_of(m1_m5_h1, 1440), VYX_TF_5M) == VYX_TF_5M);
  CHECK(ticker_timeframe(store_of(1u << VYX_TF_1M, 500), VYX_TF_1M) == VYX_TIMEFRAME_COUNT);
  CHECK(ticker_timeframe(store_of((1u << VYX_TF_1M) | (1u << VYX_TF_1H), 24), VYX_TF_1M) ==
        VYX_TF_1H);
  CHECK(ticker_timeframe(store_of((1u << VYX_TF_1M) | (1u << VYX_TF_4H) | (1u << VYX_TF_1D), 500),
                         VYX_TF_1M) == VYX_TIMEFRAME_COUNT);
}

TEST_CASE("the 24 h ticker: last close every minute, change and quote volume once a day is known") {
  auto store = store_of(m1_m5_h1, 300);  // 300 x 5m = 25 h: the ticker uses 5m + its forming candle
  forming_aggregator agg(store);
  for (std::int64_t i = 0; i < 1510; ++i) {
    CAPTURE(i);
    tick(store, agg, i);
    const vyx_ticker& t = *store.ticker(0);
    CHECK(t.struct_size == sizeof(vyx_ticker));
    CHECK(t.last_price == minute_candle(i).close);
    // The window: from the first 5m boundary at or after now - 24 h, to now.
    const std::int64_t end = t0 + (i + 1) * minute;
    const std::int64_t start = end - 24 * hour;
    const std::int64_t first = (start - t0 + 5 * minute - 1) / (5 * minute) * 5;  // in minutes
    if (start + 5 * minute - 1 < t0) {
      CHECK(std::isnan(t.price_change_percent));
      CHECK(std::isnan(t.quote_volume));
      continue;
    }
    double quote_volume = 0;
    for (std::int64_t k = first; k <= i; ++k) quote_volume += minute_candle(k).quote_volume;
    const double open = minute_candle(first).open;
    CHECK(t.quote_volume == quote_volume);
    CHECK(t.price_change_percent == doctest::Approx((minute_candle(i).close - open) / open * 100));
  }
}

TEST_CASE("the ticker by hand at an aligned minute, and NaN without a timeframe spanning a day") {
  auto store = store_of(m1_m5_h1, 300);
  forming_aggregator agg(store);
  for (std::int64_t i = 0; i < 1500; ++i) tick(store, agg, i);
  const vyx_ticker& t = *store.ticker(0);
  CHECK(t.last_price == 1509.25);
  CHECK(t.quote_volume == 2 * (1500.0 * 1501 / 2 - 60.0 * 61 / 2));  // minutes 60..1499
  CHECK(t.price_change_percent == doctest::Approx((1509.25 - 70) / 70 * 100));

  auto small = store_of(1u << VYX_TF_1M, 500);  // 500 minutes never span a day
  forming_aggregator small_agg(small);
  for (std::int64_t i = 0; i < 1500; ++i) tick(small, small_agg, i);
  CHECK(small.ticker(0)->last_price == 1509.25);
  CHECK(std::isnan(small.ticker(0)->price_change_percent));
  CHECK(std::isnan(small.ticker(0)->quote_volume));
}

TEST_CASE("the ticker's running quote volume matches a fresh sum over days of sliding windows") {
  // Quote volumes that are not exact in binary, over three days: the window
  // slides hundreds of times, the 5m ring wraps, the running sum is re-summed.
  auto qv = [](std::int64_t i) { return 0.1 * static_cast<double>(i % 97) + 0.01; };
  auto store = store_of(m1_m5_h1, 300);
  forming_aggregator agg(store);
  std::int64_t checked = 0;
  for (std::int64_t i = 0; i < 4 * 1440; ++i) {
    candle m = minute_candle(i);
    m.quote_volume = qv(i);
    store.append(0, VYX_TF_1M, m);
    agg.closed(0, VYX_TF_1M, m);
    if ((i + 1) % 5 == 0) {
      candle m5 = aggregate(i - 4, 5);
      m5.quote_volume = 0;
      for (std::int64_t k = i - 4; k <= i; ++k) m5.quote_volume += qv(k);
      store.append(0, VYX_TF_5M, m5);
      agg.closed(0, VYX_TF_5M, m5);
    }
    agg.end_tick();
    const std::int64_t end = t0 + (i + 1) * minute;
    const std::int64_t start = end - 24 * hour;
    if (start + 5 * minute - 1 < t0) continue;
    const std::int64_t first = (start - t0 + 5 * minute - 1) / (5 * minute) * 5;
    double want = 0;
    for (std::int64_t k = first; k <= i; ++k) want += qv(k);
    CAPTURE(i);
    CHECK(store.ticker(0)->quote_volume == doctest::Approx(want).epsilon(1e-11));
    ++checked;
  }
  CHECK(checked > 4000);
}
