// The shared-memory candle store: mirrored rings give contiguous views, a
// read-only attachment sees the writer's appends and cannot write.
#include <doctest/doctest.h>

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <csignal>
#include <stdexcept>

#include "vyx/runtime/market/candle_store.hpp"

using vyx::runtime::candle;
using vyx::runtime::candle_store;
using vyx::runtime::candle_store_layout;

namespace {

candle make_candle(std::int64_t i) {
  candle c;
  c.open_time = i * 60'000;
  c.close_time = c.open_time + 59'999;
  c.open = 100.0 + static_cast<double>(i);
  c.high = c.open + 2;
  c.low = c.open - 1;
  c.close = c.open + 1;
  c.volume = 10.0 * static_cast<double>(i);
  c.quote_volume = c.volume * c.close;
  c.taker_buy_base_volume = c.volume / 2;
  c.trades = i * 3;
  return c;
}

candle_store_layout two_symbols(std::uint32_t capacity) {
  candle_store_layout layout;
  layout.symbols = {"BTCUSDT", "ETHUSDT"};
  layout.timeframes = (1u << VYX_TF_1M) | (1u << VYX_TF_1H);
  layout.capacity = capacity;
  return layout;
}

}  // namespace

TEST_CASE("symbols, capacity and timeframes are recorded in the region") {
  auto store = candle_store::create(two_symbols(8));
  CHECK(store.symbol_count() == 2);
  CHECK(store.symbol(0) == "BTCUSDT");
  CHECK(std::string(store.symbol_c_str(1)) == "ETHUSDT");
  CHECK(store.symbol_c_str(2) == nullptr);
  CHECK(store.capacity() == 8);
  CHECK(store.timeframes() == ((1u << VYX_TF_1M) | (1u << VYX_TF_1H)));
  CHECK(store.fd() >= 0);
}

TEST_CASE("an empty ring or a timeframe without a ring gives count 0") {
  auto store = candle_store::create(two_symbols(8));
  auto v = store.view(0, VYX_TF_1M);
  CHECK(v.struct_size == sizeof(vyx_candles));
  CHECK(v.count == 0);
  CHECK(v.has_forming == 0);
  auto none = store.view(0, VYX_TF_5M);
  CHECK(none.count == 0);
  CHECK(none.close == nullptr);
  CHECK_THROWS_AS(store.append(0, VYX_TF_5M, make_candle(1)), std::out_of_range);
  CHECK_THROWS_AS(store.append(5, VYX_TF_1M, make_candle(1)), std::out_of_range);
}

TEST_CASE("views stay contiguous, oldest first, across every wrap position") {
  constexpr std::uint32_t cap = 5;
  auto store = candle_store::create(two_symbols(cap));
  for (std::int64_t n = 1; n <= 23; ++n) {
    store.append(1, VYX_TF_1M, make_candle(n));
    auto v = store.view(1, VYX_TF_1M);
    const std::uint64_t expected = std::min<std::int64_t>(n, cap);
    REQUIRE(v.count == expected);
    for (std::uint64_t k = 0; k < v.count; ++k) {
      auto want =
          make_candle(n - static_cast<std::int64_t>(v.count) + 1 + static_cast<std::int64_t>(k));
      CHECK(v.open_time[k] == want.open_time);
      CHECK(v.close_time[k] == want.close_time);
      CHECK(v.open[k] == want.open);
      CHECK(v.high[k] == want.high);
      CHECK(v.low[k] == want.low);
      CHECK(v.close[k] == want.close);
      CHECK(v.volume[k] == want.volume);
      CHECK(v.quote_volume[k] == want.quote_volume);
      CHECK(v.taker_buy_base_volume[k] == want.taker_buy_base_volume);
      CHECK(v.trades[k] == want.trades);
    }
  }
  // The other rings were not touched.
  CHECK(store.view(0, VYX_TF_1M).count == 0);
  CHECK(store.view(1, VYX_TF_1H).count == 0);
}

TEST_CASE("tickers start as NaN and are replaced whole") {
  auto store = candle_store::create(two_symbols(4));
  const vyx_ticker* t = store.ticker(0);
  REQUIRE(t != nullptr);
  CHECK(t->struct_size == sizeof(vyx_ticker));
  CHECK(std::isnan(t->last_price));
  store.set_ticker(0, vyx_ticker{0, 0, 42.5, -1.25, 1e6});
  CHECK(store.ticker(0)->last_price == 42.5);
  CHECK(store.ticker(0)->price_change_percent == -1.25);
  CHECK(store.ticker(0)->struct_size == sizeof(vyx_ticker));
  CHECK(store.ticker(2) == nullptr);
}

TEST_CASE("bad layouts are refused at creation") {
  auto layout = two_symbols(0);
  CHECK_THROWS_AS(candle_store::create(layout), std::invalid_argument);
  layout = two_symbols(4);
  layout.symbols.push_back(std::string(40, 'X'));
  CHECK_THROWS_AS(candle_store::create(layout), std::invalid_argument);
  layout = two_symbols(4);
  layout.timeframes = 1u << 9;
  CHECK_THROWS_AS(candle_store::create(layout), std::invalid_argument);
}

TEST_CASE("a read-only attachment sees appends made after it attached") {
  auto store = candle_store::create(two_symbols(4));
  store.append(0, VYX_TF_1H, make_candle(7));
  auto reader = candle_store::attach_read_only(store.fd());
  CHECK(reader.symbol(1) == "ETHUSDT");
  CHECK(reader.capacity() == 4);
  CHECK(reader.view(0, VYX_TF_1H).count == 1);
  store.append(0, VYX_TF_1H, make_candle(8));
  store.set_ticker(1, vyx_ticker{0, 0, 3.0, 0.0, 0.0});
  auto v = reader.view(0, VYX_TF_1H);
  REQUIRE(v.count == 2);
  CHECK(v.close[1] == make_candle(8).close);
  CHECK(reader.ticker(1)->last_price == 3.0);
  // Zero-copy: the reader's pointer is into the shared region, not the writer's address.
  CHECK(static_cast<const void*>(v.close) !=
        static_cast<const void*>(store.view(0, VYX_TF_1H).close));
}

TEST_CASE("a moved store keeps its mapping") {
  auto store = candle_store::create(two_symbols(4));
  store.append(1, VYX_TF_1M, make_candle(1));
  candle_store moved = std::move(store);
  CHECK(moved.view(1, VYX_TF_1M).count == 1);
  auto other = candle_store::create(two_symbols(2));
  other = std::move(moved);
  CHECK(other.capacity() == 4);
}

TEST_CASE("attaching to something that is not a store is refused") {
  int fd = memfd_create("not-a-store", MFD_CLOEXEC);
  REQUIRE(fd >= 0);
  REQUIRE(ftruncate(fd, 4096) == 0);
  CHECK_THROWS(candle_store::attach_read_only(fd));
  close(fd);
}

TEST_CASE("the read-only mapping faults on a write (in a child process)") {
  auto store = candle_store::create(two_symbols(4));
  store.append(0, VYX_TF_1M, make_candle(1));
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    std::signal(SIGSEGV, SIG_DFL);  // not doctest's crash handler: the parent checks the signal
    auto reader = candle_store::attach_read_only(store.fd());
    auto v = reader.view(0, VYX_TF_1M);
    const_cast<double*>(v.close)[0] = 1.0;  // must fault: PROT_READ
    _exit(0);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGSEGV);
  CHECK(store.view(0, VYX_TF_1M).close[0] == make_candle(1).close);
}

TEST_CASE("reserved symbol slots: a symbol added at run time gets rings a reader sees") {
  auto layout = two_symbols(16);
  layout.symbol_capacity = 3;
  auto store = candle_store::create(layout);
  CHECK(store.symbol_count() == 2);
  CHECK(store.symbol_capacity() == 3);
  CHECK_THROWS_AS(store.append(2, VYX_TF_1M, make_candle(1)), std::out_of_range);
  auto reader = candle_store::attach_read_only(store.fd());
  CHECK(reader.symbol_count() == 2);

  CHECK_THROWS_AS(store.add_symbol(""), std::invalid_argument);
  REQUIRE(store.add_symbol("SOLUSDT") == 2);
  store.append(2, VYX_TF_1M, make_candle(7));
  // The reader's mapping is the same region: the new count, name, rings and a NaN ticker.
  REQUIRE(reader.symbol_count() == 3);
  CHECK(reader.symbol(2) == "SOLUSDT");
  auto v = reader.view(2, VYX_TF_1M);
  REQUIRE(v.count == 1);
  CHECK(v.close[0] == make_candle(7).close);
  CHECK(std::isnan(reader.ticker(2)->last_price));
  CHECK(reader.view(0, VYX_TF_1M).count == 0);  // the others untouched
  // Every slot used: a clear error, nothing overwritten.
  CHECK_THROWS_AS(store.add_symbol("XRPUSDT"), std::length_error);
  CHECK(store.symbol_count() == 3);
}

TEST_CASE("closed_version changes with the closed candles only, and never comes back") {
  auto store = candle_store::create(two_symbols(4));
  auto reader = candle_store::attach_read_only(store.fd());
  CHECK(store.closed_version(0, VYX_TF_1M) == 0);
  CHECK(store.closed_version(0, VYX_TF_5M) == 0);  // no ring
  store.append(0, VYX_TF_1M, make_candle(1));
  const std::uint64_t one = store.closed_version(0, VYX_TF_1M);
  CHECK(one != 0);
  CHECK(reader.closed_version(0, VYX_TF_1M) == one);
  // A forming candle is not a closed one; other rings are theirs.
  store.set_forming(0, VYX_TF_1M, make_candle(2));
  store.clear_forming(0, VYX_TF_1M);
  store.append(1, VYX_TF_1M, make_candle(1));
  store.append(0, VYX_TF_1H, make_candle(1));
  CHECK(store.closed_version(0, VYX_TF_1M) == one);
  // Every append counts, past the capacity (the ring full, its window moving) too.
  std::uint64_t last = one;
  for (std::int64_t i = 2; i <= 12; ++i) {
    store.append(0, VYX_TF_1M, make_candle(i));
    CHECK(store.closed_version(0, VYX_TF_1M) == last + 1);
    last = store.closed_version(0, VYX_TF_1M);
  }
  // The slot's next symbol, with as many candles again, is another number.
  store.reuse_symbol(0, "SOLUSDT");
  CHECK(store.closed_version(0, VYX_TF_1M) > last);
  for (std::int64_t i = 1; i <= 12; ++i) store.append(0, VYX_TF_1M, make_candle(i));
  CHECK(store.closed_version(0, VYX_TF_1M) > last + 12);
  CHECK(reader.closed_version(0, VYX_TF_1M) == store.closed_version(0, VYX_TF_1M));
}
