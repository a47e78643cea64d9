// The host's half of the seriesCode contract: filter.indicators[].id is read
// from the trader's filter, and a plot missing one of them is incomplete;
// free points (VYX_PLOT_POINTS) go on the backtest chart at their own times.
#include <doctest/doctest.h>

#include <cmath>

#include "vyx/runtime/backtest/report_series.hpp"
#include "vyx/runtime/registry/platform_series.hpp"
#include "vyx/runtime/registry/trader_record.hpp"

using namespace vyx::runtime;

namespace {
plot_result plot_named(std::initializer_list<const char*> names) {
  plot_result p;
  for (const char* n : names) p.series.push_back({n, VYX_PLOT_POINTS, 0, true, {1, 2}});
  return p;
}
}  // namespace

TEST_CASE("the filter's indicator ids are read with the trader") {
  trader_record r;
  std::string error;
  REQUIRE(decode_trader_filter(
      R"({"code":"return true","seriesCode":"return nil","indicators":[{"id":"ema20","type":"ema"},{"type":"no id"},{"id":"rsi"}]})",
      r, error));
  CHECK(r.indicator_ids == std::vector<std::string>{"ema20", "rsi"});
  REQUIRE(decode_trader_filter(R"({"code":"return true"})", r, error));
  CHECK(r.indicator_ids.empty());
}

TEST_CASE("series are complete only when every indicator id is a series name") {
  CHECK(platform_series_complete(plot_named({"ema20", "rsi", "extra"}), {"ema20", "rsi"}));
  CHECK_FALSE(platform_series_complete(plot_named({"ema20"}), {"ema20", "rsi"}));
  CHECK_FALSE(platform_series_complete(plot_named({}), {"ema20"}));
  CHECK(platform_series_complete(plot_named({}), {}));
}

TEST_CASE("free points are drawn at their own x times on the chart, sorted, one per time") {
  const plot_series ema{"ema", VYX_PLOT_POINTS, 0, false,
                        {1'700'000'060'000.0, NAN, 1'700'000'000'000.0, 1.0, NAN, 7.0,
                         1'700'000'000'000.0, 1.25}};
  std::string error;
  const auto drawn = report_series_from_plot(ema, {}, error);
  REQUIRE(drawn);
  CHECK(drawn->kind == "line");
  CHECK_FALSE(drawn->panel);
  REQUIRE(drawn->points.size() == 2);
  CHECK(drawn->points[0] == std::pair<std::int64_t, double>{1'700'000'000'000, 1.25});
  CHECK(drawn->points[1].first == 1'700'000'060'000);
  CHECK(std::isnan(drawn->points[1].second));
}
