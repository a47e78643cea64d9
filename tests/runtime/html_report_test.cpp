// The report page as text: inlined and offline, data that cannot end its
// script element, series placed on their candles' times.
#include <doctest/doctest.h>

#include <cmath>

#include "vyx/runtime/backtest/html_report.hpp"
#include "vyx/runtime/backtest/report_series.hpp"

using vyx::runtime::backtest_report;
using vyx::runtime::candle;
using vyx::runtime::candle_aligned_points;
using vyx::runtime::plot_series;
using vyx::runtime::render_report_html;
using vyx::runtime::report_chart;
using vyx::runtime::report_data_json;
using vyx::runtime::report_series_from_plot;
using vyx::runtime::report_trader;
using vyx::runtime::trader_signal;

namespace {

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

std::vector<candle> hours(int n) {
  std::vector<candle> out(n);
  for (int i = 0; i < n; ++i) {
    out[i].open_time = i * 3'600'000LL;
    out[i].close_time = out[i].open_time + 3'599'999;
    out[i].open = out[i].high = out[i].low = out[i].close = 10 + i;
  }
  return out;
}

}  // namespace

TEST_CASE("names that hold </script> stay inside the report's data") {
  const std::string hostile = "</script><script>alert(1)</script><!--";
  const auto bars = hours(3);
  const trader_signal signal{hostile, "X</SCRIPT>",    VYX_TF_1H, bars[1].close_time,
                             11,      {{hostile, 1.5}}, {}};
  backtest_report report;
  report.title = "run of <b>" + hostile;
  report.symbol_count = 1;
  report.candles.emplace("X 1h", bars);
  report_chart chart;
  chart.symbol = signal.symbol;
  chart.timeframe = VYX_TF_1H;
  chart.signals = 1;
  chart.candles = "X 1h";
  chart.series.push_back({hostile, "line", false, {{0, 1.0}, {3'600'000, NAN}}});
  chart.markers.push_back({bars[1].open_time, &signal});
  report.traders.push_back(report_trader{hostile, {}, {chart}});

  const std::string page = render_report_html(report);
  // The template's three script elements (data, chart library, page script) and nothing else.
  CHECK(occurrences(page, "<script") == 3);
  CHECK(occurrences(page, "</script>") == 3);
  CHECK(page.find("<script>alert") == std::string::npos);
  CHECK(page.find("X</SCRIPT>") == std::string::npos);
  CHECK(page.find("<title>run of &lt;b&gt;&lt;/script&gt;") != std::string::npos);
  CHECK(page.find("{{") == std::string::npos);  // every slot filled

  const std::string data = report_data_json(report);
  CHECK(data.find('<') == std::string::npos);
  CHECK(data.find("\"values\":[[\"\\u003c/script>") != std::string::npos);
  CHECK(data.find("\"points\":[[0,1],[3600000,null]]") != std::string::npos);  // NaN: a gap
  CHECK(data.find("\"markers\":[{\"candle\":3600000,\"close_time\":7199999,\"price\":11,") !=
        std::string::npos);
  CHECK(data.find("\"horizons\":[1,5,20]") != std::string::npos);
}

TEST_CASE("candle-aligned series meet their candles at the newest end") {
  const auto bars = hours(4);
  // Shorter than the candles: the last values belong to the last candles.
  auto points = candle_aligned_points(std::vector<double>{7, 8}, bars);
  REQUIRE(points.size() == 2);
  CHECK(points[0] == std::pair<std::int64_t, double>{2 * 3'600'000LL, 7});
  CHECK(points[1] == std::pair<std::int64_t, double>{3 * 3'600'000LL, 8});
  // Longer: the oldest values have no candle and are dropped.
  points = candle_aligned_points(std::vector<double>{1, 2, 3, 4, 5, 6}, bars);
  REQUIRE(points.size() == 4);
  CHECK(points.front() == std::pair<std::int64_t, double>{0, 3});
  CHECK(points.back() == std::pair<std::int64_t, double>{3 * 3'600'000LL, 6});
}

TEST_CASE("plot kinds become report series and an unknown kind is refused with its number") {
  const auto bars = hours(2);
  plot_series bar{"volume", VYX_PLOT_BAR, VYX_TF_1H, true, {5, 6}};
  std::string error;
  auto series = report_series_from_plot(bar, bars, error);
  REQUIRE(series.has_value());
  CHECK(series->kind == "bar");
  CHECK(series->panel);
  CHECK(series->points.size() == 2);

  plot_series unknown{"odd", 7u, VYX_TF_1H, false, {1, 2}};
  CHECK_FALSE(report_series_from_plot(unknown, bars, error).has_value());
  CHECK(error.find("'odd' has plot kind 7") != std::string::npos);
}
