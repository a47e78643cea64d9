// The candle store's forming candle: at index `count` of every column, set
// and replaced between ticks, cleared when its period's closed row arrives,
// kept in place across the window's moves and capacity wraps.
#include <doctest/doctest.h>

#include <stdexcept>

#include "support/market_time.hpp"
#include "vyx/runtime/market/candle_store.hpp"

using vyx::runtime::candle;
using vyx::runtime::candle_store;
using vyx::runtime::candle_store_layout;

namespace {

using vyx::test::hour;

// Hour n's candle; `salt` changes every value so a replacement is visible.
candle hour_candle(std::int64_t n, double salt = 0) {
  candle c;
  c.open_time = n * hour;
  c.close_time = c.open_time + hour - 1;
  c.open = 100.0 + static_cast<double>(n) + salt;
  c.high = c.open + 3;
  c.low = c.open - 2;
  c.close = c.open + 1;
  c.volume = 5.0 + static_cast<double>(n) + salt;
  c.quote_volume = c.volume * c.close;
  c.taker_buy_base_volume = c.volume / 4;
  c.trades = 10 * n + static_cast<std::int64_t>(salt);
  return c;
}

candle_store store_of(std::uint32_t capacity) {
  candle_store_layout layout;
  layout.symbols = {"AUSDT", "BUSDT"};
  layout.timeframes = (1u << VYX_TF_5M) | (1u << VYX_TF_1H);
  layout.capacity = capacity;
  return candle_store::create(layout);
}

// The view's row i as a candle (i == count reads the forming one).
candle row(const vyx_candles& v, std::size_t i) {
  return candle{v.open_time[i], v.close_time[i], v.open[i],         v.high[i],
                v.low[i],       v.close[i],      v.volume[i],       v.quote_volume[i],
                v.taker_buy_base_volume[i],      v.trades[i]};
}

void check_same(const candle& a, const candle& b) {
  CHECK(a.open_time == b.open_time);
  CHECK(a.close_time == b.close_time);
  CHECK(a.open == b.open);
  CHECK(a.high == b.high);
  CHECK(a.low == b.low);
  CHECK(a.close == b.close);
  CHECK(a.volume == b.volume);
  CHECK(a.quote_volume == b.quote_volume);
  CHECK(a.taker_buy_base_volume == b.taker_buy_base_volume);
  CHECK(a.trades == b.trades);
}

}  // namespace

TEST_CASE("a forming candle follows the closed ones at index count, and only when set") {
  auto store = store_of(8);
  store.append(0, VYX_TF_1H, hour_candle(1));
  store.append(0, VYX_TF_1H, hour_candle(2));
  CHECK(store.view(0, VYX_TF_1H).has_forming == 0);
  CHECK_FALSE(store.forming(0, VYX_TF_1H).has_value());

  store.set_forming(0, VYX_TF_1H, hour_candle(3));
  auto v = store.view(0, VYX_TF_1H);
  CHECK(v.count == 2);
  CHECK(v.has_forming == 1);
  check_same(row(v, 0), hour_candle(1));
  check_same(row(v, 1), hour_candle(2));
  check_same(row(v, 2), hour_candle(3));
  REQUIRE(store.forming(0, VYX_TF_1H).has_value());
  check_same(*store.forming(0, VYX_TF_1H), hour_candle(3));

  // Other rings are untouched.
  CHECK(store.view(0, VYX_TF_5M).has_forming == 0);
  CHECK(store.view(1, VYX_TF_1H).has_forming == 0);
}

TEST_CASE("set_forming replaces the forming candle and clear_forming removes it") {
  auto store = store_of(8);
  store.append(1, VYX_TF_1H, hour_candle(1));
  store.set_forming(1, VYX_TF_1H, hour_candle(2));
  store.set_forming(1, VYX_TF_1H, hour_candle(2, 0.5));
  auto v = store.view(1, VYX_TF_1H);
  CHECK(v.count == 1);
  CHECK(v.has_forming == 1);
  check_same(row(v, 1), hour_candle(2, 0.5));
  store.clear_forming(1, VYX_TF_1H);
  v = store.view(1, VYX_TF_1H);
  CHECK(v.count == 1);
  CHECK(v.has_forming == 0);
  check_same(row(v, 0), hour_candle(1));
}

TEST_CASE("the closed row of the forming candle's period clears it") {
  auto store = store_of(8);
  store.append(0, VYX_TF_1H, hour_candle(1));
  store.set_forming(0, VYX_TF_1H, hour_candle(2, 0.25));  // hour 2 so far
  store.append(0, VYX_TF_1H, hour_candle(2));             // hour 2 closed
  auto v = store.view(0, VYX_TF_1H);
  CHECK(v.count == 2);
  CHECK(v.has_forming == 0);
  check_same(row(v, 1), hour_candle(2));  // the closed row, not the forming values
}

TEST_CASE("a forming candle later than an appended closed row stays after it") {
  auto store = store_of(8);
  store.append(0, VYX_TF_1H, hour_candle(1));
  store.set_forming(0, VYX_TF_1H, hour_candle(3));
  store.append(0, VYX_TF_1H, hour_candle(2));  // a late closed row of an earlier period
  auto v = store.view(0, VYX_TF_1H);
  CHECK(v.count == 2);
  REQUIRE(v.has_forming == 1);
  check_same(row(v, 1), hour_candle(2));
  check_same(row(v, 2), hour_candle(3));
}

TEST_CASE("a forming candle must open after the newest closed one") {
  auto store = store_of(8);
  store.append(0, VYX_TF_1H, hour_candle(5));
  CHECK_THROWS_AS(store.set_forming(0, VYX_TF_1H, hour_candle(5)), std::invalid_argument);
  CHECK_THROWS_AS(store.set_forming(0, VYX_TF_1H, hour_candle(4)), std::invalid_argument);
  CHECK(store.view(0, VYX_TF_1H).has_forming == 0);
  CHECK_THROWS_AS(store.set_forming(0, VYX_TF_1M, hour_candle(6)), std::out_of_range);
  CHECK_THROWS_AS(store.set_forming(2, VYX_TF_1H, hour_candle(6)), std::out_of_range);
  CHECK_THROWS_AS(store.clear_forming(0, VYX_TF_4H), std::out_of_range);
}

TEST_CASE("an empty ring can hold a forming candle alone (count 0, has_forming 1)") {
  auto store = store_of(8);
  store.set_forming(1, VYX_TF_5M, hour_candle(1));
  auto v = store.view(1, VYX_TF_5M);
  CHECK(v.count == 0);
  REQUIRE(v.has_forming == 1);
  REQUIRE(v.close != nullptr);
  check_same(row(v, 0), hour_candle(1));
  store.append(1, VYX_TF_5M, hour_candle(1, 0.75));
  v = store.view(1, VYX_TF_5M);
  CHECK(v.count == 1);
  CHECK(v.has_forming == 0);
  check_same(row(v, 0), hour_candle(1, 0.75));
}

TEST_CASE("through capacity wraps and window moves the forming candle stays at index count") {
  constexpr std::uint32_t cap = 5;
  auto store = store_of(cap);
  // Every step: the forming candle of hour n, replaced once, then hour n closes.
  for (std::int64_t n = 1; n <= 40; ++n) {
    store.set_forming(0, VYX_TF_1H, hour_candle(n, 0.5));
    store.set_forming(0, VYX_TF_1H, hour_candle(n, 0.25));
    auto v = store.view(0, VYX_TF_1H);
    const std::uint64_t closed = static_cast<std::uint64_t>(std::min<std::int64_t>(n - 1, cap));
    REQUIRE(v.count == closed);
    REQUIRE(v.has_forming == 1);
    for (std::uint64_t k = 0; k < v.count; ++k)
      check_same(row(v, k), hour_candle(n - static_cast<std::int64_t>(closed) +
                                        static_cast<std::int64_t>(k)));
    check_same(row(v, v.count), hour_candle(n, 0.25));
    store.append(0, VYX_TF_1H, hour_candle(n));
    v = store.view(0, VYX_TF_1H);
    CHECK(v.count == std::min<std::uint64_t>(closed + 1, cap));
    CHECK(v.has_forming == 0);
    check_same(row(v, v.count - 1), hour_candle(n));
  }
}

TEST_CASE("a worker's read-only attachment sees the forming candle the writer sets") {
  auto store = store_of(4);
  auto reader = candle_store::attach_read_only(store.fd());
  store.append(0, VYX_TF_1H, hour_candle(1));
  store.set_forming(0, VYX_TF_1H, hour_candle(2));
  auto v = reader.view(0, VYX_TF_1H);
  CHECK(v.count == 1);
  REQUIRE(v.has_forming == 1);
  check_same(row(v, 1), hour_candle(2));
  store.append(0, VYX_TF_1H, hour_candle(2));
  CHECK(reader.view(0, VYX_TF_1H).has_forming == 0);
}
