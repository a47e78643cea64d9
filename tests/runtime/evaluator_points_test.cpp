// The host's check of a plugin's VYX_PLOT_POINTS series: (x, y) pairs come
// through as written; a run of odd length is refused, as is an unknown kind.
#include <doctest/doctest.h>

#include "evaluation/evaluator.hpp"

using namespace vyx::runtime;

namespace {
std::uint32_t points_kind = VYX_PLOT_POINTS;
std::uint64_t points_length = 4;

vyx_status no_match(const vyx_market*, vyx_filter_output* out) {
  out->matched = 0;
  return VYX_OK;
}

vyx_status write_points(const vyx_market*, vyx_plot_output* out) {
  vyx_plot_series& s = out->series[out->series_count++];
  s = vyx_plot_series{};
  s.name[0] = 'p';
  s.kind = points_kind;
  s.panel = 1;
  s.offset = out->pool_used;
  s.length = points_length;
  for (std::uint64_t i = 0; i < points_length; ++i) out->pool[out->pool_used++] = 10.0 * i;
  return VYX_OK;
}

const vyx_plugin points_plugin{sizeof(vyx_plugin), VYX_ABI_VERSION, "points", "0", 0, 0, 0, 0,
                               no_match, write_points};

plot_result run_points(std::uint32_t kind, std::uint64_t length) {
  points_kind = kind;
  points_length = length;
  candle_store store = candle_store::create({{"BTCUSDT"}, 1u << VYX_TF_1M, 16});
  evaluator e(store, {&points_plugin}, 0);
  return e.series(0, 0, 1'700'000'000'000);
}
}  // namespace

TEST_CASE("the host takes POINTS series as (x, y) pairs and refuses an odd length") {
  const plot_result good = run_points(VYX_PLOT_POINTS, 4);
  CHECK(good.error.empty());
  REQUIRE(good.series.size() == 1);
  CHECK(good.series[0].kind == VYX_PLOT_POINTS);
  CHECK(good.series[0].values == std::vector<double>{0, 10, 20, 30});

  const plot_result odd = run_points(VYX_PLOT_POINTS, 3);
  CHECK_FALSE(odd.error.empty());
  CHECK(odd.series.empty());

  const plot_result unknown = run_points(VYX_PLOT_POINTS + 1, 4);
  CHECK_FALSE(unknown.error.empty());
  CHECK(unknown.series.empty());
}
