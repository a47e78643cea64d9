// The host indicator cache: values are exactly the catalog's batch form, and
// a state built late (a respawned worker) equals one advanced bar by bar.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "evaluation/indicator_cache.hpp"
#include "sandbox_fixture.hpp"

namespace vyx::test {
namespace {

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

vyx_indicator_request request(vyx_indicator_id id, std::initializer_list<double> params) {
  vyx_indicator_request r{};
  r.struct_size = sizeof r;
  r.timeframe = VYX_TF_1M;
  r.indicator = id;
  for (double p : params) r.params[r.param_count++] = p;
  return r;
}

// The batch form over candles [from, count) of the window, NaN before `from`.
std::vector<std::vector<double>> batch(const runtime::candle_store& store, std::size_t symbol,
                                       const vyx_indicator_request& r, std::size_t from) {
  const vyx_candles v = store.view(symbol, VYX_TF_1M);
  const ta::indicator_info* info = runtime::catalog_entry_for(r.indicator);
  REQUIRE(info != nullptr);
  std::vector<double> options(info->options.size() + 1);
  ta::default_options(*info, options.data());
  for (std::uint32_t i = 0; i < r.param_count; ++i) options[i] = r.params[i];
  const std::size_t n = v.count - from;
  ta::columns c;
  c.open = v.open + from;
  c.high = v.high + from;
  c.low = v.low + from;
  c.close = v.close + from;
  c.volume = v.volume + from;
  c.open_time = v.open_time + from;
  c.taker_buy_volume = v.taker_buy_base_volume + from;
  c.size = n;
  std::vector<std::vector<double>> out(info->outputs.size(),
                                       std::vector<double>(v.count, std::nan("")));
  std::vector<double*> ptrs;
  for (auto& o : out) ptrs.push_back(o.data() + from);
  const ta::status s = info->batch(c, options.data(), ptrs.data());
  if (s == ta::status::input_too_short) {
    for (auto& o : out) std::fill(o.begin(), o.end(), std::nan(""));
  } else {
    REQUIRE(s == ta::status::ok);
  }
  return out;
}

void check_equal(const vyx_indicator_result& got, const std::vector<std::vector<double>>& want) {
  REQUIRE(got.output_count == want.size());
  for (std::size_t k = 0; k < want.size(); ++k) {
    REQUIRE(got.length == want[k].size());
    for (std::size_t i = 0; i < got.length; ++i) {
      CAPTURE(k);
      CAPTURE(i);
      CHECK(same_bits(got.outputs[k][i], want[k][i]));
    }
  }
}

}  // namespace

TEST_CASE("indicator cache: before the ring wraps, values are the batch form over the window") {
  auto store = make_store(30);
  runtime::indicator_cache cache(store);
  const auto requests = {request(VYX_IND_EMA, {10}), request(VYX_IND_RSI, {14}),
                         request(VYX_IND_MACD, {12, 26, 9}), request(VYX_IND_BBANDS, {20, 2, 2}),
                         request(VYX_IND_VWAP, {})};
  for (std::size_t bar = 30; bar < 60; ++bar) {
    append_bar(store, bar);
    for (const auto& r : requests) {
      vyx_indicator_result got{};
      got.struct_size = sizeof got;
      REQUIRE(cache.serve(2, r, &got) == VYX_OK);
      check_equal(got, batch(store, 2, r, 0));
    }
  }
  // One state per (symbol, timeframe, indicator, params), advanced, not rebuilt.
  CHECK(cache.entry_count() == requests.size());
  CHECK(cache.rebuilds() == requests.size());
}

TEST_CASE(
    "indicator cache: a symbol's memo answers as the store does, and the next begin_symbol forgets "
    "it") {
  auto store = make_store(30);
  runtime::indicator_cache cache(store);
  const auto ema = request(VYX_IND_EMA, {10});
  const auto macd = request(VYX_IND_MACD, {12, 26, 9});
  for (std::size_t bar = 30; bar < 200; ++bar) {  // across the ring's wrap (capacity 64)
    append_bar(store, bar);
    for (std::size_t symbol : {std::size_t{1}, std::size_t{2}}) {
      cache.begin_symbol(symbol);
      for (int repeat = 0; repeat < 3; ++repeat)
        for (const auto& r : {ema, macd, ema}) {
          vyx_indicator_result got{};
          got.struct_size = sizeof got;
          REQUIRE(cache.serve(symbol, r, &got) == VYX_OK);
          const vyx_candles v = store.view(symbol, VYX_TF_1M);
          const std::size_t anchor = runtime::indicator_anchor(
              v, store.capacity(), runtime::indicator_salt(store.symbol(symbol)));
          check_equal(got, batch(store, symbol, r, anchor));
        }
      // Another symbol's request is not answered from this symbol's memo.
      vyx_indicator_result other{};
      other.struct_size = sizeof other;
      REQUIRE(cache.serve(3, ema, &other) == VYX_OK);
      check_equal(other,
                  batch(store, 3, ema,
                        runtime::indicator_anchor(store.view(3, VYX_TF_1M), store.capacity(),
                                                  runtime::indicator_salt(store.symbol(3)))));
    }
  }
}

TEST_CASE(
    "indicator cache: after the ring wraps, values are the batch form from a window-determined "
    "anchor") {
  auto store = make_store(30);
  runtime::indicator_cache advanced(store);
  const auto r = request(VYX_IND_EMA, {5});
  for (std::size_t bar = 30; bar < 300; ++bar) {
    append_bar(store, bar);
    vyx_indicator_result got{};
    got.struct_size = sizeof got;
    REQUIRE(advanced.serve(1, r, &got) == VYX_OK);
    const vyx_candles v = store.view(1, VYX_TF_1M);
    const std::size_t anchor =
        runtime::indicator_anchor(v, store.capacity(), runtime::indicator_salt(store.symbol(1)));
    check_equal(got, batch(store, 1, r, anchor));
    // A cache created now (a fresh worker) gives the same bits.
    runtime::indicator_cache fresh(store);
    vyx_indicator_result late{};
    late.struct_size = sizeof late;
    REQUIRE(fresh.serve(1, r, &late) == VYX_OK);
    REQUIRE(late.length == got.length);
    for (std::size_t i = 0; i < got.length; ++i)
      CHECK(same_bits(got.outputs[0][i], late.outputs[0][i]));
  }
  // Rebuilds happen once per anchor change (every capacity/4 bars), not per bar.
  CHECK(advanced.rebuilds() < 20);
}

TEST_CASE(
    "indicator cache: a fresh cache's multi-output states match the batch form from the anchor") {
  // A reload's new workers build every state in one pass over the window
  // (rebuild); outputs past the first and the NaN before the anchor included.
  auto store = make_store(30);
  const auto requests = {request(VYX_IND_MACD, {12, 26, 9}), request(VYX_IND_BBANDS, {20, 2, 2}),
                         request(VYX_IND_STOCH, {})};
  for (std::size_t bar = 30; bar < 260; bar += 7) {
    for (std::size_t b = bar; b < bar + 7; ++b) append_bar(store, b);
    runtime::indicator_cache fresh(store);
    for (std::size_t symbol = 0; symbol < 3; ++symbol) {
      const vyx_candles v = store.view(symbol, VYX_TF_1M);
      const std::size_t anchor = runtime::indicator_anchor(
          v, store.capacity(), runtime::indicator_salt(store.symbol(symbol)));
      for (const auto& r : requests) {
        vyx_indicator_result got{};
        got.struct_size = sizeof got;
        REQUIRE(fresh.serve(symbol, r, &got) == VYX_OK);
        check_equal(got, batch(store, symbol, r, anchor));
      }
    }
  }
}

TEST_CASE("indicator cache: unknown ids, bad params and missing timeframes are status codes") {
  auto store = make_store(30);
  runtime::indicator_cache cache(store);
  vyx_indicator_result out{};
  out.struct_size = sizeof out;
  CHECK(cache.serve(0, request(999, {}), &out) == VYX_ERR_UNSUPPORTED);
  CHECK(cache.serve(0, request(VYX_IND_EMA, {-3}), &out) == VYX_ERR_INVALID_ARGUMENT);
  auto five = request(VYX_IND_EMA, {10});
  five.timeframe = VYX_TF_5M;
  CHECK(cache.serve(0, five, &out) == VYX_ERR_NO_TIMEFRAME);
  // Every VYX_IND_* id of abi.h maps to a catalog entry.
  for (vyx_indicator_id id = VYX_IND_SMA; id <= VYX_IND_STOCHRSI_SMOOTHED; ++id) {
    CAPTURE(id);
    CHECK(runtime::catalog_entry_for(id) != nullptr);
  }
}

}  // namespace vyx::test
