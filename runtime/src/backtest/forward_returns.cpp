// Forward returns and their summary (mean, median, hit rate, best, worst).
#include "vyx/runtime/backtest/forward_returns.hpp"

#include <algorithm>
#include <cmath>

namespace vyx::runtime {
namespace {

void add_return(std::span<const double> closes, std::size_t t, std::size_t horizon,
                return_sample& into) {
  if (t >= closes.size() || horizon >= closes.size() - t) {
    ++into.past_end;
    return;
  }
  const double from = closes[t], to = closes[t + horizon];
  if (!(from > 0) || !std::isfinite(from) || !std::isfinite(to)) return;
  into.returns.push_back(to / from - 1.0);
}

}  // namespace

void add_forward_returns(std::span<const double> closes, std::span<const std::size_t> at,
                         std::size_t horizon, return_sample& into) {
  for (std::size_t t : at) add_return(closes, t, horizon, into);
}

void add_forward_returns(std::span<const double> closes, std::size_t horizon, return_sample& into) {
  into.returns.reserve(into.returns.size() + closes.size());
  for (std::size_t t = 0; t < closes.size(); ++t) add_return(closes, t, horizon, into);
}

return_stats summarize_returns(const return_sample& sample) {
  return_stats stats;
  stats.count = sample.returns.size();
  stats.past_end = sample.past_end;
  if (stats.count == 0) return stats;
  std::vector<double> sorted = sample.returns;
  std::sort(sorted.begin(), sorted.end());
  double sum = 0;
  std::size_t hits = 0;
  for (double r : sorted) {
    sum += r;
    hits += r > 0;
  }
  const std::size_t n = sorted.size();
  stats.mean = sum / static_cast<double>(n);
  stats.median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  stats.hit_rate = static_cast<double>(hits) / static_cast<double>(n);
  stats.worst = sorted.front();
  stats.best = sorted.back();
  return stats;
}

}  // namespace vyx::runtime
