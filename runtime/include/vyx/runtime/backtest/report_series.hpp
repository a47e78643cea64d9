// A trader's plot series as the report draws them: (time, value) points.
// Every plot kind becomes points here, so the page has one way to draw.
#pragma once

#include <optional>
#include <span>

#include "vyx/runtime/backtest/html_report.hpp"
#include "vyx/runtime/evaluation/results.hpp"

namespace vyx::runtime {

// (plot_result's member `series` hides its type of the same name.)
using plot_series = decltype(plot_result::series)::value_type;

// Candle-aligned values (LINE, BAR: value i belongs to candle i of the
// series' timeframe; a series shorter or longer than `candles` is aligned at
// the newest end) as points at the candles' open times.
std::vector<std::pair<std::int64_t, double>> candle_aligned_points(std::span<const double> values,
                                                                   std::span<const candle> candles);

// VYX_PLOT_POINTS values, (x, y) pairs with x a time in ms, as points sorted
// by time, one per time (the last wins), without pairs whose x is not a time.
std::vector<std::pair<std::int64_t, double>> free_points(std::span<const double> pairs);

// `candles`: the closed candles of the series' timeframe the series was
// computed on. Nothing for a plot kind the report does not know (`error` says which).
std::optional<report_series> report_series_from_plot(const plot_series& series,
                                                     std::span<const candle> candles,
                                                     std::string& error);

}  // namespace vyx::runtime
