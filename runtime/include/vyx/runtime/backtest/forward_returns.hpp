// Forward returns: what the close did h candles after a chosen candle
// (close[t+h] / close[t] - 1), summarised. Pure arithmetic, no market types,
// so the statistics of the backtest summary are testable by hand.
#pragma once

#include <array>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace vyx::runtime {

// The horizons (in candles of the signal's timeframe) the backtest reports.
inline constexpr std::array<std::size_t, 3> forward_horizons{1, 5, 20};

// The returns collected for one horizon. A candle whose horizon runs past the
// data has no return; it is counted in `past_end` so the reader knows how many
// were left out. A zero, negative or non-finite close gives no return either
// (and is not counted: it is bad data, not a short horizon).
struct return_sample {
  std::vector<double> returns;
  std::size_t past_end = 0;
};

// Adds the return at `horizon` from each index of `at` into `closes` (indexes
// outside `closes` count as past the end).
void add_forward_returns(std::span<const double> closes, std::span<const std::size_t> at,
                         std::size_t horizon, return_sample& into);
// Adds the return at `horizon` from every candle of `closes` (the baseline).
void add_forward_returns(std::span<const double> closes, std::size_t horizon, return_sample& into);

struct return_stats {
  static constexpr double none = std::numeric_limits<double>::quiet_NaN();
  std::size_t count = 0;     // returns measured
  std::size_t past_end = 0;  // left out: the horizon ran past the data
  // NaN when count is 0. hit_rate is the share of returns above 0 (0..1);
  // the median of an even count is the mean of the two middle returns.
  double mean = none, median = none, hit_rate = none, best = none, worst = none;
};

return_stats summarize_returns(const return_sample& sample);

}  // namespace vyx::runtime
