// The host's share of the Go traders' indicators (VYX_IND_GO_*): a served
// window is bit for bit what the plugin's own kernels give over the same
// candles, it is computed once per symbol visit for every trader that asks
// (the chained ones for the next symbols of the tick too), and nothing is
// served outside a visit or from an earlier tick.
#include <doctest/doctest.h>

#include <cstring>
#include <vector>

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

  // The next visit (a new tick, new candles) computes again, from its own candles.
  append_bar(store, 60);
  view = store.view(0, VYX_TF_1M);
  cache.begin_symbol(0);
  for (int trader = 0; trader < 3; ++trader)
    for (const vyx_indicator_id id : go_ids)
      check_served(cache, 0, view, newest(id, params_of(id), view, 40));
  CHECK(go.computations() == 12);
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
  // Eight symbols in two groups of four: the EMA, RSI and MACD ran twice
  // each, for four windows at a time; MA and Bollinger once per symbol.
  CHECK(go.computations() == 5 * symbol_count);
  CHECK(go.kernel_runs() == 2 + 2 + 2 + 2 * symbol_count);

  // The next tick starts over from its own candles, and a visit that skips a
  // symbol still finds the values computed for the one it visits.
  append_bar(store, 60);
  const std::int64_t later = close_time_of(60);
  visit(0, later);
  visit(2, later);
  visit(3, later);
  CHECK(go.computations() == 5 * symbol_count + 4 * 3 + 2 * 3);

  // Without the tick's next visits (a lone visit), nothing runs ahead.
  cache.begin_symbol(5);
  const vyx_candles view = store.view(5, VYX_TF_1M);
  check_served(cache, 5, view, newest(VYX_IND_GO_RSI, {14}, view, 40));
  CHECK(go.computations() == 5 * symbol_count + 4 * 3 + 2 * 3 + 1);
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
  // Two requests, each once for the four symbols.
  CHECK(go.kernel_runs() == 2);
  CHECK(go.computations() == 2 * 4);
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
  CHECK(go.serve(0, view, newest(VYX_IND_GO_MA_SERIES, {14}, view, 40), &out) == VYX_ERR_CAPACITY);
  CHECK(go.serve(0, view, newest(VYX_IND_GO_MACD, {12, 26, 9}, view, 40), &out) ==
        VYX_ERR_CAPACITY);
  CHECK(std::memcmp(kept.data(), first.outputs[0], 40 * sizeof(double)) == 0);
  go.begin_visit();  // a new visit has the whole budget again
  CHECK(go.serve(0, view, newest(VYX_IND_GO_MA_SERIES, {14}, view, 40), &out) == VYX_OK);
}

}  // namespace vyx::test
