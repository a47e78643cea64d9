// highest / lowest, batch: van Herk/Gil-Werman block extremes (branch-free,
// O(1) per bar; the same blocks as the stream, extreme_window).
#include "vyx/indicators/extremes.hpp"

#include "batch_util.hpp"
#include "block_extremes.hpp"

namespace vyx::ta {
namespace {

template <bool Max>
status run(const double* x, std::size_t size, int period, double* out) noexcept {
  if (x == nullptr || out == nullptr) return status::invalid_input;
  if (extreme_stream<Max>::validate(period) != status::ok)
    return detail::fill_no_value(out, 0, size), status::invalid_option;
  if (status s = detail::warm_up(size, period - 1, out); s != status::ok) return s;
  const std::size_t length = static_cast<std::size_t>(period);
  detail::extreme_scratch scratch(length);
  detail::for_each_window_extreme_value<Max>(x, size, length, scratch.values(),
                                             [out](std::size_t t, double e) { out[t] = e; });
  return status::ok;
}

}  // namespace

int highest_lookback(int period) noexcept {
  return period - 1;
}
int lowest_lookback(int period) noexcept {
  return period - 1;
}

status highest(const columns& in, int period, double* out) noexcept {
  return run<true>(in.high, in.size, period, out);
}
status lowest(const columns& in, int period, double* out) noexcept {
  return run<false>(in.low, in.size, period, out);
}

}  // namespace vyx::ta
