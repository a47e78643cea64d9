// highest / lowest, batch: TA-Lib's scheme of remembering where the current
// extreme is and rescanning the window only when it drops out — O(1) per bar
// on market data, and the result is exact, so it equals the streaming deque.
#include "vyx/indicators/extremes.hpp"

#include "batch_util.hpp"

namespace vyx::ta {
namespace {

template <bool Max>
status run(const double* x, std::size_t size, int period, double* out) noexcept {
  if (x == nullptr || out == nullptr) return status::invalid_input;
  if (extreme_stream<Max>::validate(period) != status::ok) return detail::fill_no_value(out, 0, size), status::invalid_option;
  if (status s = detail::warm_up(size, period - 1, out); s != status::ok) return s;
  const std::size_t p = static_cast<std::size_t>(period);
  std::size_t at = 0;  // index of the current extreme
  double best = x[0];
  for (std::size_t i = 0; i < size; ++i) {
    const std::size_t first = i + 1 >= p ? i + 1 - p : 0;
    const double v = x[i];
    if (at < first) {
      at = first, best = x[first];
      for (std::size_t j = first + 1; j <= i; ++j)
        if (Max ? x[j] >= best : x[j] <= best) at = j, best = x[j];
    } else if (Max ? v >= best : v <= best) {
      at = i, best = v;
    }
    if (i + 1 >= p) out[i] = best;
  }
  return status::ok;
}

}  // namespace

int highest_lookback(int period) noexcept { return period - 1; }
int lowest_lookback(int period) noexcept { return period - 1; }

status highest(const columns& in, int period, double* out) noexcept { return run<true>(in.high, in.size, period, out); }
status lowest(const columns& in, int period, double* out) noexcept { return run<false>(in.low, in.size, period, out); }

}  // namespace vyx::ta
