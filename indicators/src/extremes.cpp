// highest / lowest, batch: detail::rolling_extreme (TA-Lib's rescan scheme;
// exact values, so equal to the streaming deque's).
#include "vyx/indicators/extremes.hpp"

#include "batch_util.hpp"

namespace vyx::ta {
namespace {

using detail::rolling_extreme;

template <bool Max>
status run(const double* x, std::size_t size, int period, double* out) noexcept {
  if (x == nullptr || out == nullptr) return status::invalid_input;
  if (extreme_stream<Max>::validate(period) != status::ok) return detail::fill_no_value(out, 0, size), status::invalid_option;
  if (status s = detail::warm_up(size, period - 1, out); s != status::ok) return s;
  rolling_extreme<Max>(x, size, static_cast<std::size_t>(period), out);
  return status::ok;
}

}  // namespace

int highest_lookback(int period) noexcept { return period - 1; }
int lowest_lookback(int period) noexcept { return period - 1; }

status highest(const columns& in, int period, double* out) noexcept { return run<true>(in.high, in.size, period, out); }
status lowest(const columns& in, int period, double* out) noexcept { return run<false>(in.low, in.size, period, out); }

}  // namespace vyx::ta
