// Plot series to report points, one case per plot kind.
#include "vyx/runtime/backtest/report_series.hpp"

#include <algorithm>
#include <cmath>

namespace vyx::runtime {

std::vector<std::pair<std::int64_t, double>> candle_aligned_points(
    std::span<const double> values, std::span<const candle> candles) {
  const std::size_t n = std::min(values.size(), candles.size());
  const std::size_t skip_values = values.size() - n, skip_candles = candles.size() - n;
  std::vector<std::pair<std::int64_t, double>> points(n);
  for (std::size_t i = 0; i < n; ++i)
    points[i] = {candles[skip_candles + i].open_time, values[skip_values + i]};
  return points;
}

// (x, y) pairs as the chart needs them: x a finite time, ascending, each
// once (a chart time scale has one value per time; the last pair for a time
// wins, as a later write to a map key would).
std::vector<std::pair<std::int64_t, double>> free_points(std::span<const double> pairs) {
  std::vector<std::pair<std::int64_t, double>> points;
  for (std::size_t i = 0; i + 1 < pairs.size(); i += 2)
    if (std::isfinite(pairs[i]) && std::fabs(pairs[i]) < 9.2e18)
      points.emplace_back(static_cast<std::int64_t>(pairs[i]), pairs[i + 1]);
  std::stable_sort(points.begin(), points.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<std::int64_t, double>> unique;
  for (const auto& p : points) {
    if (!unique.empty() && unique.back().first == p.first)
      unique.back() = p;
    else
      unique.push_back(p);
  }
  return unique;
}

std::optional<report_series> report_series_from_plot(const plot_series& series,
                                                     std::span<const candle> candles,
                                                     std::string& error) {
  report_series out;
  out.name = series.name;
  out.panel = series.panel;
  switch (series.kind) {
    case VYX_PLOT_LINE:
      out.kind = "line";
      out.points = candle_aligned_points(series.values, candles);
      return out;
    case VYX_PLOT_BAR:
      out.kind = "bar";
      out.points = candle_aligned_points(series.values, candles);
      return out;
    case VYX_PLOT_POINTS:  // a Go seriesCode's {x, y} maps, x a time in ms: joined as a line
      out.kind = "line";
      out.points = free_points(series.values);
      return out;
    default:
      error = "series '" + series.name + "' has plot kind " + std::to_string(series.kind) +
              ", which the report cannot draw";
      return std::nullopt;
  }
}

}  // namespace vyx::runtime
