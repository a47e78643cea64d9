// The host's share of the Go traders' indicators (VYX_IND_GO_*): a served
// window is bit for bit what the plugin's own kernels give over the same
// candles, it is computed once per symbol visit for every trader that asks
// (the chained ones for the next symbols of the tick too), nothing is
// served outside a visit, and from an earlier tick only the window kernels'
// values that the same closes give (go_sliding_windows).
#include <doctest/doctest.h>

#include <algorithm>

#include <cstring>
#include <vector>

#include "evaluation/go_sliding_windows.hpp"
#include "evaluation/go_wide_kernels.hpp"
#include "evaluation/indicator_cache.hpp"
#include "sandbox_fixture.hpp"
#include "vyx/sdk/go/indicator_kernels.hpp"

namespace vyx::test {
namespace {

namespace kernels = vyx::go::kernels;

vyx_indicator_request go_request(vyx_indicator_id id, const std::vector<double>& params,
                                 const vyx_candles& view, std::uint64_t window,
                                 std::size_t last_index) {
  vyx_indicator_request r{};
  r.struct_size = sizeof r;
  r.timeframe = VYX_TF_1M;
  r.indicator = id;
  for (double p : params) r.params[r.param_count++] = p;
  r.window_count = window;
  r.window_last_open_time = view.open_time[last_index];
  return r;
}

vyx_indicator_request newest(vyx_indicator_id id, const std::vector<double>& params,
                             const vyx_candles& view, std::uint64_t window) {
  return go_request(id, params, view, window, view.count - 1);
}

// What the plugin computes over the same window, outputs one after another.
std::vector<double> own_kernels(const vyx_indicator_request& r, const double* close, long n) {
  const auto p = [&](int i) { return static_cast<long>(r.params[i]); };
  const int outputs = r.indicator == VYX_IND_GO_MACD || r.indicator == VYX_IND_GO_BBANDS ? 3 : 1;
  std::vector<double> v(static_cast<std::size_t>(n) * outputs, 0.0);
  double* o = v.data();
  switch (r.indicator) {
    case VYX_IND_GO_MA_SERIES:
      kernels::ma_series(close, n, p(0), o);
      break;
    case VYX_IND_GO_EMA_SERIES:
      kernels::ema_series(close, n, p(0), o);
      break;
    case VYX_IND_GO_RSI:
      kernels::rsi_series(close, n, p(0), o);
      break;
    case VYX_IND_GO_MACD:
      kernels::macd(close, n, p(0), p(1), p(2), o, o + n, o + 2 * n);
      break;
    case VYX_IND_GO_BBANDS:
      kernels::bollinger(close, n, p(0), r.params[1], o, o + n, o + 2 * n);
      break;
  }
  return v;
}

// Serves `r` for `symbol` and compares every value's bits with own_kernels()
// over the window the request names in `view`, the symbol's.
void check_served(runtime::indicator_cache& cache, std::size_t symbol, const vyx_candles& view,
                  const vyx_indicator_request& r) {
  vyx_indicator_result got{};
  got.struct_size = sizeof got;
  REQUIRE(cache.serve(symbol, r, &got) == VYX_OK);
  REQUIRE(got.length == r.window_count);
  std::size_t last = view.count - 1;
  while (view.open_time[last] != r.window_last_open_time) --last;
  const long n = static_cast<long>(r.window_count);
  const std::vector<double> want = own_kernels(r, view.close + (last + 1 - n), n);
  REQUIRE(want.size() == got.output_count * got.length);
  for (std::uint32_t o = 0; o < got.output_count; ++o)
    for (long i = 0; i < n; ++i) {
      CAPTURE(r.indicator);
      CAPTURE(o);
      CAPTURE(i);
      REQUIRE(std::memcmp(&got.outputs[o][i], &want[o * n + i], sizeof(double)) == 0);
    }
}

const vyx_indicator_id go_ids[] = {VYX_IND_GO_MA_SERIES, VYX_IND_GO_EMA_SERIES, VYX_IND_GO_RSI,
                                   VYX_IND_GO_MACD, VYX_IND_GO_BBANDS};

std::vector<double> params_of(vyx_indicator_id id) {
  switch (id) {
    case VYX_IND_GO_MACD:
      return {12, 26, 9};
    case VYX_IND_GO_BBANDS:
      return {20, 2.0};
    default:
      return {14};
  }
}

// The MA series as a go_sliding_windows kernel (its period the context), a
// key for it, and closes, for the sliding windows' own tests.
void ma(const void* period, const double* close, long n, double* const* rows) {
  kernels::ma_series(close, n, *static_cast<const long*>(period), rows[0]);
}
runtime::go_sliding_windows::key ma_key(long n) {
  runtime::go_sliding_windows::key k{};
  k.indicator = VYX_IND_GO_MA_SERIES;
  k.window = static_cast<std::uint64_t>(n);
  return k;
}
std::vector<double> sliding_closes(int count) {
  std::vector<double> closes;
  for (int i = 0; i < count; ++i) closes.push_back(100.0 + (i * 37 % 11) * 0.1);
  return closes;
}

}  // namespace

TEST_CASE("go indicators: a served window is the plugin's own kernels, bit for bit") {
  auto store = make_store(60);
  runtime::indicator_cache cache(store);
  cache.begin_symbol(0);
  const vyx_candles view = store.view(0, VYX_TF_1M);
  for (const vyx_indicator_id id : go_ids) {
    check_served(cache, 0, view, newest(id, params_of(id), view, 50));
    check_served(cache, 0, view, newest(id, params_of(id), view, view.count));
    // A window that ends before the newest candle (a cut-off).
    check_served(cache, 0, view, go_request(id, params_of(id), view, 30, view.count - 7));
  }
  // MACD with a fast period longer than the window: the platform's zero fast EMA.
  check_served(cache, 0, view, newest(VYX_IND_GO_MACD, {40, 30, 9}, view, 35));
}

TEST_CASE("go indicators: one computation per visit for every trader that asks") {
  auto store = make_store(60);
  runtime::indicator_cache cache(store);
  const runtime::go_indicator_cache& go = cache.go_indicators();
  vyx_candles view = store.view(0, VYX_TF_1M);
  cache.begin_symbol(0);
  for (int trader = 0; trader < 5; ++trader)
    for (const vyx_indicator_id id : go_ids)
      check_served(cache, 0, view, newest(id, params_of(id), view, 40));
  CHECK(go.computations() == 5);
  // Another window or other parameters are other values.
  check_served(cache, 0, view, newest(VYX_IND_GO_RSI, {14}, view, 41));
  check_served(cache, 0, view, newest(VYX_IND_GO_RSI, {15}, view, 40));
  CHECK(go.computations() == 7);

  // The next visit (a new tick, new candles) computes the chained ones again,
  // from its own candles; the window kernels' windows slide by one candle.
  append_bar(store, 60);
  view = store.view(0, VYX_TF_1M);
  cache.begin_symbol(0);
  for (int trader = 0; trader < 3; ++trader)
    for (const vyx_indicator_id id : go_ids)
      check_served(cache, 0, view, newest(id, params_of(id), view, 40));
  CHECK(go.computations() == 10);
  CHECK(go.sliding().moved_on() == 2);
}

TEST_CASE("go indicators: the chained ones run for the next symbols of a tick, bit for bit") {
  auto store = make_store(60);
  runtime::indicator_cache cache(store);
  const runtime::go_indicator_cache& go = cache.go_indicators();
  const std::int64_t now = close_time_of(59);
  auto visit = [&](std::size_t s, std::int64_t at) {
    cache.begin_symbol(s, at, symbol_count);
    const vyx_candles view = store.view(s, VYX_TF_1M);
    for (int trader = 0; trader < 2; ++trader)
      for (const vyx_indicator_id id : go_ids)
        check_served(cache, s, view, newest(id, params_of(id), view, 40));
  };
  for (std::size_t s = 0; s < symbol_count; ++s) visit(s, now);
  // The symbols in groups of `lanes`: the EMA, RSI and MACD ran once per
  // group, for its windows at once; MA and Bollinger once per symbol.
  constexpr std::size_t lanes = runtime::go_indicator_cache::lanes;
  constexpr std::size_t groups = (symbol_count + lanes - 1) / lanes;
  constexpr std::size_t first_group = std::min(lanes, symbol_count);
  CHECK(go.computations() == 5 * symbol_count);
  CHECK(go.kernel_runs() == 3 * groups + 2 * symbol_count);

  // The next tick starts over from its own candles, and a visit that skips a
  // symbol still finds the values computed for the one it visits.
  append_bar(store, 60);
  const std::int64_t later = close_time_of(60);
  visit(0, later);
  visit(2, later);
  visit(3, later);
  CHECK(go.computations() == 5 * symbol_count + 3 * first_group);
  CHECK(go.sliding().moved_on() == 2 * 3);

  // Without the tick's next visits (a lone visit), nothing runs ahead.
  cache.begin_symbol(5);
  const vyx_candles view = store.view(5, VYX_TF_1M);
  check_served(cache, 5, view, newest(VYX_IND_GO_RSI, {14}, view, 40));
  CHECK(go.computations() == 5 * symbol_count + 3 * first_group + 1);
}

TEST_CASE("go indicators: two EMAs of one window run as one from the next group on") {
  auto store = make_store(60);
  runtime::indicator_cache cache(store);
  const runtime::go_indicator_cache& go = cache.go_indicators();
  // A trader asking for EMA(10) and EMA(30) of its window (T2's EMA(50) and
  // EMA(200)), eight symbols: two groups of four.
  auto tick = [&](std::int64_t at, const std::vector<double>& periods) {
    for (std::size_t s = 0; s < symbol_count; ++s) {
      cache.begin_symbol(s, at, symbol_count);
      const vyx_candles view = store.view(s, VYX_TF_1M);
      for (double period : periods)
        check_served(cache, s, view, newest(VYX_IND_GO_EMA_SERIES, {period}, view, 40));
    }
  };
  static_assert(symbol_count == 2 * runtime::go_indicator_cache::lanes);
  const bool pairs = runtime::fused_multiply_add_runs(runtime::widest_vector_width());
  tick(close_time_of(59), {10, 30});
  // The first group learns the two periods; the second computes both at once.
  CHECK(go.computations() == 2 * symbol_count);
  CHECK(go.kernel_runs() == (pairs ? 3u : 4u));

  // Next tick, EMA(30) alone: its first group still gets EMA(10) with it (the
  // last group asked for both), the next one no longer.
  append_bar(store, 60);
  tick(close_time_of(60), {30});
  CHECK(go.computations() == 2 * symbol_count + symbol_count + (pairs ? 4u : 0u));
  CHECK(go.kernel_runs() == (pairs ? 5u : 6u));

  // Both again: each group's EMA(10) brings EMA(30) with it (the last group
  // asked for EMA(30)), which is then served from that run.
  append_bar(store, 61);
  tick(close_time_of(61), {10, 30});
  CHECK(go.computations() == 44);
  CHECK(go.kernel_runs() == (pairs ? 7u : 10u));

  // A third period finds both others computed already: it runs alone, and
  // nothing is computed twice.
  append_bar(store, 62);
  tick(close_time_of(62), {10, 30, 20});
  CHECK(go.computations() == 44 + 3 * symbol_count);
  CHECK(go.kernel_runs() == (pairs ? 11u : 16u));
}

TEST_CASE("go indicators: a group of any size gets the same values") {
  // Groups of 1 to 8 symbols, so every lane count: the wide kernels take 4
  // windows, fewer run in the SDK's lanes; every value is compared with the
  // SDK's.
  for (std::size_t size = 1; size <= symbol_count; ++size) {
    CAPTURE(size);
    auto store = make_store(60);
    runtime::indicator_cache cache(store);
    const runtime::go_indicator_cache& go = cache.go_indicators();
    for (std::size_t s = 0; s < size; ++s) {
      cache.begin_symbol(s, close_time_of(59), size);
      const vyx_candles view = store.view(s, VYX_TF_1M);
      for (const vyx_indicator_id id : go_ids)
        check_served(cache, s, view, newest(id, params_of(id), view, 40));
    }
    const std::size_t lanes = runtime::go_indicator_cache::lanes;
    CHECK(go.computations() == 5 * size);
    CHECK(go.kernel_runs() == 3 * ((size + lanes - 1) / lanes) + 2 * size);
  }
}

TEST_CASE("go indicators: a MACD whose fast period exceeds the window runs in lanes too") {
  auto store = make_store(60);
  runtime::indicator_cache cache(store);
  const runtime::go_indicator_cache& go = cache.go_indicators();
  for (std::size_t s = 0; s < 4; ++s) {
    cache.begin_symbol(s, close_time_of(59), symbol_count);
    const vyx_candles view = store.view(s, VYX_TF_1M);
    check_served(cache, s, view, newest(VYX_IND_GO_MACD, {40, 30, 9}, view, 35));
    check_served(cache, s, view, newest(VYX_IND_GO_MACD, {12, 26, 40}, view, 35));
  }
  // Two requests, each once for the group (the four visited and the rest of
  // the tick's symbols that fit).
  CHECK(go.kernel_runs() == 2);
  CHECK(go.computations() ==
        2 * std::min<std::size_t>(runtime::go_indicator_cache::lanes, symbol_count));
}

TEST_CASE("go indicators: outside a visit of the symbol the plugin computes its own") {
  auto store = make_store(60);
  runtime::indicator_cache cache(store);
  const vyx_candles view = store.view(0, VYX_TF_1M);
  vyx_indicator_result out{};
  out.struct_size = sizeof out;
  CHECK(cache.serve(0, newest(VYX_IND_GO_RSI, {14}, view, 40), &out) == VYX_ERR_UNSUPPORTED);
  cache.begin_symbol(1);
  CHECK(cache.serve(0, newest(VYX_IND_GO_RSI, {14}, view, 40), &out) == VYX_ERR_UNSUPPORTED);
  cache.begin_symbol(0);
  cache.share_go_indicators(false);
  CHECK(cache.serve(0, newest(VYX_IND_GO_RSI, {14}, view, 40), &out) == VYX_ERR_UNSUPPORTED);
  cache.share_go_indicators(true);
  CHECK(cache.serve(0, newest(VYX_IND_GO_RSI, {14}, view, 40), &out) == VYX_OK);
  CHECK(cache.go_indicators().computations() == 1);
}

TEST_CASE("go indicators: malformed requests are status codes, never a read past the window") {
  auto store = make_store(60);
  runtime::indicator_cache cache(store);
  cache.begin_symbol(0);
  const vyx_candles view = store.view(0, VYX_TF_1M);
  vyx_indicator_result out{};
  out.struct_size = sizeof out;
  auto status = [&](vyx_indicator_request r) { return cache.serve(0, r, &out); };

  auto old_size = newest(VYX_IND_GO_RSI, {14}, view, 40);
  old_size.struct_size = VYX_INDICATOR_REQUEST_V1_SIZE;  // no window fields
  CHECK(status(old_size) == VYX_ERR_INVALID_ARGUMENT);
  CHECK(status(newest(VYX_IND_GO_RSI, {14.5}, view, 40)) == VYX_ERR_INVALID_ARGUMENT);
  CHECK(status(newest(VYX_IND_GO_RSI, {0}, view, 40)) == VYX_ERR_INVALID_ARGUMENT);
  CHECK(status(newest(VYX_IND_GO_RSI, {1e300}, view, 40)) == VYX_ERR_INVALID_ARGUMENT);
  CHECK(status(newest(VYX_IND_GO_RSI, {14, 3}, view, 40)) == VYX_ERR_INVALID_ARGUMENT);
  CHECK(status(newest(VYX_IND_GO_BBANDS, {20, std::nan("")}, view, 40)) ==
        VYX_ERR_INVALID_ARGUMENT);
  CHECK(status(newest(VYX_IND_GO_RSI, {14}, view, 0)) == VYX_ERR_NOT_ENOUGH_DATA);
  CHECK(status(newest(VYX_IND_GO_RSI, {14}, view, view.count + 1)) == VYX_ERR_NOT_ENOUGH_DATA);
  CHECK(status(newest(VYX_IND_GO_RSI, {14}, view, 14)) == VYX_ERR_NOT_ENOUGH_DATA);  // needs 15
  CHECK(status(newest(VYX_IND_GO_MACD, {12, 26, 9}, view, 25)) == VYX_ERR_NOT_ENOUGH_DATA);
  CHECK(status(go_request(VYX_IND_GO_RSI, {14}, view, 40, 20)) == VYX_ERR_NOT_ENOUGH_DATA);
  auto unknown_time = newest(VYX_IND_GO_RSI, {14}, view, 40);
  unknown_time.window_last_open_time += 1;
  CHECK(status(unknown_time) == VYX_ERR_NOT_ENOUGH_DATA);
  CHECK(cache.go_indicators().computations() == 0);
}

TEST_CASE("go indicators: past the visit's budget a request is refused, earlier arrays stay") {
  auto store = make_store(60);
  runtime::go_indicator_cache go(nullptr, 100);  // room for two single-output windows of 40
  const vyx_candles view = store.view(0, VYX_TF_1M);
  vyx_indicator_result first{}, out{};
  first.struct_size = out.struct_size = sizeof out;
  go.begin_visit();
  REQUIRE(go.serve(0, view, newest(VYX_IND_GO_RSI, {14}, view, 40), &first) == VYX_OK);
  const std::vector<double> kept(first.outputs[0], first.outputs[0] + 40);
  CHECK(go.serve(0, view, newest(VYX_IND_GO_EMA_SERIES, {14}, view, 40), &out) == VYX_OK);
  CHECK(go.serve(0, view, newest(VYX_IND_GO_EMA_SERIES, {15}, view, 40), &out) == VYX_ERR_CAPACITY);
  CHECK(go.serve(0, view, newest(VYX_IND_GO_MACD, {12, 26, 9}, view, 40), &out) ==
        VYX_ERR_CAPACITY);
  // A window older than the newest is not kept across ticks: the arena's too.
  CHECK(go.serve(0, view, go_request(VYX_IND_GO_MA_SERIES, {14}, view, 40, 50), &out) ==
        VYX_ERR_CAPACITY);
  CHECK(std::memcmp(kept.data(), first.outputs[0], 40 * sizeof(double)) == 0);
  go.begin_visit();  // a new visit has the whole budget again
  CHECK(go.serve(0, view, newest(VYX_IND_GO_EMA_SERIES, {15}, view, 40), &out) == VYX_OK);
}

TEST_CASE("go indicators: the window kernels slide from tick to tick, bit for bit") {
  auto store = make_store(60);
  runtime::indicator_cache cache(store);
  const runtime::go_indicator_cache& go = cache.go_indicators();
  // Periods 1 and 2 (no zeros, one zero), the platform's 20; windows of 25
  // and 60, whose rows move back every 25 and 60 slides.
  const std::vector<std::pair<vyx_indicator_id, std::vector<double>>> asked = {
      {VYX_IND_GO_MA_SERIES, {1}},
      {VYX_IND_GO_MA_SERIES, {2}},
      {VYX_IND_GO_MA_SERIES, {14}},
      {VYX_IND_GO_BBANDS, {20, 2.0}},
      {VYX_IND_GO_BBANDS, {2, 1.5}}};
  const std::uint64_t windows[] = {25, 60};
  std::size_t bar = 60;
  std::uint64_t moved_on = 0, kept = 0;
  for (int tick = 0; tick < 3 * static_cast<int>(capacity); ++tick) {
    // Every fifth tick closes no candle: the same windows again.
    const bool new_candle = tick % 5 != 4;
    if (new_candle) append_bar(store, bar++);
    for (std::size_t s = 0; s < symbol_count; ++s) {
      cache.begin_symbol(s, close_time_of(bar) + tick, symbol_count);
      const vyx_candles view = store.view(s, VYX_TF_1M);
      for (const auto& [id, params] : asked)
        for (const std::uint64_t n : windows)
          check_served(cache, s, view, newest(id, params, view, n));
    }
    if (tick > 0) (new_candle ? moved_on : kept) += symbol_count * asked.size() * 2;
  }
  // Only the first tick computed whole windows.
  CHECK(go.computations() == symbol_count * asked.size() * 2);
  CHECK(go.sliding().moved_on() == moved_on);
  CHECK(go.sliding().kept() == kept);
}

TEST_CASE("go indicators: a chained window that did not move is kept across ticks, bit for bit") {
  auto store = make_store(60);
  runtime::indicator_cache cache(store);
  const runtime::go_indicator_cache& go = cache.go_indicators();
  const vyx_indicator_id chained[] = {VYX_IND_GO_EMA_SERIES, VYX_IND_GO_RSI, VYX_IND_GO_MACD};
  std::int64_t now = 0;
  const auto tick = [&] {
    ++now;
    for (std::size_t s = 0; s < symbol_count; ++s) {
      cache.begin_symbol(s, now, symbol_count);
      const vyx_candles view = store.view(s, VYX_TF_1M);
      for (int trader = 0; trader < 2; ++trader)
        for (const vyx_indicator_id id : chained)
          check_served(cache, s, view, newest(id, params_of(id), view, 40));
    }
  };
  const std::uint64_t windows = symbol_count * 3;
  tick();  // new windows: computed in lanes, noted
  CHECK(go.computations() == windows);
  tick();  // the same newest candles: computed once more, now kept
  CHECK(go.computations() == 2 * windows);
  tick();  // served as kept
  tick();
  CHECK(go.computations() == 2 * windows);
  CHECK(go.sliding().kept() == 2 * windows);
  append_bar(store, 60);
  tick();  // moved: computed in lanes again, not kept
  CHECK(go.computations() == 3 * windows);
  CHECK(go.sliding().kept() == 2 * windows);
  tick();  // did not move since: kept again, from its own closes
  tick();
  CHECK(go.computations() == 4 * windows);
  CHECK(go.sliding().kept() == 3 * windows);
}

TEST_CASE("go indicators: a kept window whose closes changed otherwise is computed whole") {
  auto store = make_store(60);
  runtime::indicator_cache cache(store);
  const runtime::go_indicator_cache& go = cache.go_indicators();
  const auto serve_all = [&](std::int64_t now) {
    cache.begin_symbol(0, now, 1);
    const vyx_candles view = store.view(0, VYX_TF_1M);
    check_served(cache, 0, view, newest(VYX_IND_GO_MA_SERIES, {14}, view, 40));
    check_served(cache, 0, view, newest(VYX_IND_GO_BBANDS, {20, 2.0}, view, 40));
  };
  serve_all(1);
  CHECK(go.computations() == 2);
  // The slot goes to another symbol (a live universe's newcomer) whose
  // candles are other closes at the same times.
  store.reuse_symbol(0, "NEWCOMER");
  for (std::size_t i = 0; i < 60; ++i) {
    runtime::candle c{};
    c.open_time = close_time_of(i) - 60'000 + 1;
    c.close_time = close_time_of(i);
    c.open = c.high = c.low = c.close = 50.0 + static_cast<double>(i % 7) * 0.25;
    c.volume = 1;
    store.append(0, VYX_TF_1M, c);
  }
  serve_all(2);
  CHECK(go.computations() == 4);
  CHECK(go.sliding().moved_on() == 0);
  CHECK(go.sliding().kept() == 0);
}

TEST_CASE("go indicators: with the store's versions, kept and slid windows skip comparing closes") {
  const long period = 3, n = 5;
  const std::vector<double> closes = sliding_closes(12);
  runtime::go_sliding_windows kept_windows;
  const runtime::go_sliding_windows::key k = ma_key(n);
  const double* rows[runtime::go_sliding_windows::max_outputs];
  using outcome = runtime::go_sliding_windows::outcome;
  const auto serve = [&](long end, std::uint64_t version) {
    const double* window = closes.data() + end - n;
    const outcome got = kept_windows.rows(k, window, n, 1, period - 1, ma, &period, rows, version);
    std::vector<double> want(n, 0.0);
    kernels::ma_series(window, n, period, want.data());
    CHECK(std::memcmp(want.data(), rows[0], sizeof(double) * n) == 0);
    return got;
  };
  CHECK(serve(5, 7) == outcome::computed);
  CHECK(serve(5, 7) == outcome::kept);
  CHECK(serve(6, 8) == outcome::moved_on);   // one candle appended
  CHECK(serve(8, 10) == outcome::computed);  // two: the window is computed whole
  // The version decides, not the closes: the same closes under a new number
  // are computed again (a slot reused for a symbol with the same candles).
  CHECK(serve(8, 20) == outcome::computed);
  // Unknown (0): the closes decide, as without a store.
  CHECK(serve(8, 0) == outcome::kept);
  CHECK(serve(9, 0) == outcome::moved_on);
  // A chained window that did not move: kept under its number only.
  runtime::go_sliding_windows::key chained = k;
  chained.indicator = VYX_IND_GO_EMA_SERIES;
  CHECK(kept_windows.unmoved_rows(chained, closes.data(), n, 1, ma, &period, rows, 3) ==
        outcome::computed);
  CHECK(kept_windows.unmoved_rows(chained, closes.data(), n, 1, ma, &period, rows, 3) ==
        outcome::kept);
  CHECK(kept_windows.unmoved_rows(chained, closes.data(), n, 1, ma, &period, rows, 4) ==
        outcome::computed);
}

TEST_CASE("go indicators: sliding rows move back when full and stay within their budget") {
  const long period = 3, n = 5;
  const std::vector<double> closes = sliding_closes(40);
  // One window of one output: its key and two rows of 2n.
  runtime::go_sliding_windows kept_windows(runtime::go_sliding_windows::key_values + 2 * n * 2);
  const runtime::go_sliding_windows::key k = ma_key(n);
  runtime::go_sliding_windows::key other = k;
  other.symbol = 1;
  const double* rows[runtime::go_sliding_windows::max_outputs];
  using outcome = runtime::go_sliding_windows::outcome;
  for (long end = n; end <= 40; ++end) {
    const double* window = closes.data() + end - n;
    const outcome got = kept_windows.rows(k, window, n, 1, period - 1, ma, &period, rows);
    REQUIRE(got == (end == n ? outcome::computed : outcome::moved_on));
    std::vector<double> want(n, 0.0);
    kernels::ma_series(window, n, period, want.data());
    CHECK(std::memcmp(want.data(), rows[0], sizeof(double) * n) == 0);
    // A second window is past the budget, whatever the first one does.
    CHECK(kept_windows.rows(other, window, n, 1, period - 1, ma, &period, rows) ==
          outcome::refused);
  }
  CHECK(kept_windows.moved_on() == 40 - n);
  CHECK(kept_windows.full());
  kept_windows.start_over();
  CHECK_FALSE(kept_windows.full());
  CHECK(kept_windows.rows(other, closes.data(), n, 1, period - 1, ma, &period, rows) ==
        outcome::computed);
}

TEST_CASE("go indicators: kept windows past their budget start over at the next group") {
  auto store = make_store(60);
  // Room to keep one window of 40 with one output: its key and 2 rows of 80.
  runtime::go_indicator_cache go(&store, std::size_t{1} << 19,
                                 runtime::go_sliding_windows::key_values + 160);
  const auto serve_ma = [&](std::size_t symbol) {
    const vyx_candles view = store.view(symbol, VYX_TF_1M);
    vyx_indicator_result out{};
    out.struct_size = sizeof out;
    REQUIRE(go.serve(symbol, view, newest(VYX_IND_GO_MA_SERIES, {14}, view, 40), &out) == VYX_OK);
    std::vector<double> want(40, 0.0);
    kernels::ma_series(view.close + view.count - 40, 40, 14, want.data());
    CHECK(std::memcmp(want.data(), out.outputs[0], 40 * sizeof(double)) == 0);
  };
  go.begin_visit(0, 1, 2);
  serve_ma(0);
  go.begin_visit(1, 1, 2);
  serve_ma(1);  // past the budget: computed in the arena, exact all the same
  CHECK(go.sliding().full());
  CHECK(go.computations() == 2);
  // The next tick's group forgets the kept windows and keeps what it asks.
  append_bar(store, 60);
  go.begin_visit(1, 2, 2);
  CHECK_FALSE(go.sliding().full());
  serve_ma(1);
  go.begin_visit(0, 2, 2);  // does not continue the group: it starts another
  serve_ma(0);
  CHECK(go.computations() == 4);
  CHECK(go.sliding().moved_on() == 0);
}

}  // namespace vyx::test
