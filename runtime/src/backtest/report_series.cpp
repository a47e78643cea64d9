// Plot series to report points, one case per plot kind.
#include "vyx/runtime/backtest/report_series.hpp"

#include <algorithm>

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

std::optional<report_series> report_series_from_plot(const plot_series& series,
                                                     std::span<const candle> candles,
                                                     std::string& error) {
  report_series out;
  out.name = series.name;
  out.panel = series.panel;
  // A kind whose values are already (time ms, value) pairs (Go's seriesCode
  // output) needs only its own case: pair them up into out.points, kind "points".
  switch (series.kind) {
    case VYX_PLOT_LINE:
      out.kind = "line";
      out.points = candle_aligned_points(series.values, candles);
      return out;
    case VYX_PLOT_BAR:
      out.kind = "bar";
      out.points = candle_aligned_points(series.values, candles);
      return out;
    default:
      error = "series '" + series.name + "' has plot kind " + std::to_string(series.kind) +
              ", which the report cannot draw";
      return std::nullopt;
  }
}

}  // namespace vyx::runtime
