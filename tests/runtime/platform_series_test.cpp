// The host's half of the seriesCode contract: filter.indicators[].id is read
// from the trader's filter, and a plot missing one of them is incomplete;
// free points (VYX_PLOT_POINTS) go on the backtest chart at their own times.
#include <doctest/doctest.h>

#include <cmath>

#include "vyx/runtime/backtest/html_chart.hpp"
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

TEST_CASE("free points are drawn at their own x times on the chart") {
  chart_panel p;
  p.trader = "t";
  p.symbol = "BTCUSDT";
  p.candles.push_back(candle{1'700'000'000'000, 1'700'000'059'999, 1, 2, 0.5, 1.5, 10, 15, 5, 3});
  p.series.series.push_back(
      {"ema", VYX_PLOT_POINTS, 0, false, {1'700'000'000'000.0, 1.25, 1'700'000'060'000.0, NAN}});
  const std::string html = render_chart_html("points", {p});
  CHECK(html.find(R"("name":"ema","panel":false,"kind":"line","t":[1700000000000,1700000060000],"v":[1.25,null]})") !=
        std::string::npos);
}
