// seriesCode end to end: translated beside the body, built, and its map
// written to the plot as VYX_PLOT_POINTS series when it keeps the platform's
// output contract; any violation drops every series while the filter works.
#include <doctest/doctest.h>

#include <cmath>

#include "go_support.hpp"
#include "vyx/abi.h"

using vyx::test::run_end;
using vyx::test::run_go_series;

namespace {
// Matches on the synthetic market: 5m closes rise.
const char* const rising_body =
    "k := data.Klines[\"5m\"]\nreturn k[len(k)-1].Close > k[0].Close";

// A map whose "ok" series keeps the contract, plus `extra` as more entries.
std::string series_with(const std::string& extra) {
  return "ok := []map[string]interface{}{{\"x\": 1, \"y\": 2.5}}\n"
         "return map[string]interface{}{\"ok\": ok" +
         extra + "}";
}

void expect_dropped(const std::string& extra, const std::string& name) {
  CAPTURE(extra);
  const vyx::test::series_run r = run_go_series(rising_body, series_with(extra), name);
  CHECK(r.filter == run_end::matched);
  CHECK(r.status == VYX_OK);
  CHECK(r.series.empty());
}
}  // namespace

TEST_CASE("seriesCode's points reach the plot as (x, y) pairs, a nil y as a gap") {
  const std::string series =
      "klines := data.Klines[\"5m\"]\n"
      "points := []map[string]interface{}{}\n"
      "for _, k := range klines[len(klines)-3:] {\n"
      "    points = append(points, map[string]interface{}{\"x\": k.OpenTime, \"y\": k.Close})\n"
      "}\n"
      "out := make(map[string]interface{})\n"
      "out[\"close\"] = points\n"
      "var more []interface{}\n"
      "var none *float64\n"
      "more = append(more, map[string]interface{}{\"x\": 1, \"y\": nil},\n"
      "    map[string]interface{}{\"x\": 2.5, \"y\": none},\n"
      "    map[string]interface{}{\"x\": uint8(3), \"y\": indicators.CalculateEMA(klines, 5)})\n"
      "out[\"more\"] = more\n"
      "return out";
  const vyx::test::series_run r = run_go_series(rising_body, series, "series_points");
  CHECK(r.filter == run_end::matched);
  CHECK(r.status == VYX_OK);
  REQUIRE(r.series.size() == 2);
  CHECK(r.series[0].name == "close");
  CHECK(r.series[0].kind == VYX_PLOT_POINTS);
  REQUIRE(r.series[0].values.size() == 6);
  for (int k = 0; k < 3; ++k) {
    const int i = 297 + k;  // the newest three of the 5m candles
    CHECK(r.series[0].values[2 * k] == 1'700'000'000'000.0 + i * 60'000.0);
    CHECK(r.series[0].values[2 * k + 1] == doctest::Approx(100 + 0.1 * i));
  }
  CHECK(r.series[1].name == "more");
  REQUIRE(r.series[1].values.size() == 6);
  CHECK(r.series[1].values[0] == 1);
  CHECK(std::isnan(r.series[1].values[1]));
  CHECK(r.series[1].values[2] == 2.5);
  CHECK(std::isnan(r.series[1].values[3]));
  CHECK(r.series[1].values[4] == 3);
  CHECK(r.series[1].values[5] > 100);  // a non-nil *float64 is its number
}

TEST_CASE("a nil or empty map writes no series and keeps the signal") {
  const vyx::test::series_run r = run_go_series(rising_body, "return nil", "series_nil");
  CHECK(r.filter == run_end::matched);
  CHECK(r.status == VYX_OK);
  CHECK(r.series.empty());
}

TEST_CASE("any break of the output contract drops every series, the filter still works") {
  expect_dropped(", \"bad\": 5", "series_not_slice");
  expect_dropped(", \"bad\": []float64{1, 2}", "series_float_slice");
  expect_dropped(", \"bad\": []map[string]interface{}{{\"x\": 1}}", "series_no_y");
  expect_dropped(", \"bad\": []map[string]interface{}{{\"x\": \"t\", \"y\": 1}}", "series_string_x");
  expect_dropped(", \"bad\": []interface{}{1.5}", "series_element_not_map");
  expect_dropped(", \"bad\": []map[string]interface{}{{\"x\": 1, \"y\": math.NaN()}}",
                 "series_nan_y");
  expect_dropped(", \"bad\": nil", "series_nil_value");
}
