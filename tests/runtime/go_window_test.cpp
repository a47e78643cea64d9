// The newest closed candles per timeframe a Go (platform) trader sees: the
// pool hands it to every trader as vyx_market.window_bars, through the
// sandboxed workers and the in-process backend alike.
#include <doctest/doctest.h>

#include "support/market_time.hpp"
#include "support/temp_dir.hpp"
#include "vyx/runtime/pool/worker_pool.hpp"

using namespace vyx::runtime;
using vyx::test::temp_dir;

namespace go_window_test {

const std::filesystem::path test_plugin_dir = VYX_TEST_PLUGIN_DIR;

// What window_probe reported on one 1m tick of a one-symbol store.
double window_seen_by_probe(worker_pool_options options) {
  candle_store_layout layout;
  layout.symbols = {"BTCUSDT"};
  layout.timeframes = 1u << VYX_TF_1M;
  layout.capacity = 10;
  candle_store store = candle_store::create(layout);
  const std::int64_t open = vyx::test::t0;
  store.append(0, VYX_TF_1M, candle{open, open + vyx::test::minute - 1, 1, 1, 1, 1, 1, 1, 1, 1});
  options.min_workers = options.max_workers = 1;
  worker_pool pool(store, options);
  const load_report load =
      pool.load({trader_spec{"window_probe", test_plugin_dir / "window_probe.so", true}});
  REQUIRE(load.failed.empty());
  const tick_result r = pool.run_tick({open + vyx::test::minute - 1, 1u << VYX_TF_1M});
  REQUIRE(r.faults.empty());
  REQUIRE(r.matches.size() == 1);
  REQUIRE(r.matches[0].values.size() == 1);
  CHECK(r.matches[0].values[0].name == "window_bars");
  return r.matches[0].values[0].value;
}

}  // namespace go_window_test

using namespace go_window_test;

TEST_CASE("the pool hands its go_window_bars to every trader, sandboxed or in process") {
  worker_pool_options options;
  CHECK(window_seen_by_probe(options) == 250);  // the platform's window by default
  options.go_window_bars = 77;
  CHECK(window_seen_by_probe(options) == 77);
  options.sandbox = false;
  CHECK(window_seen_by_probe(options) == 77);
  options.go_window_bars = 0;  // as a host that zeroes the market: the SDK reads it as 250
  CHECK(window_seen_by_probe(options) == 0);
}
