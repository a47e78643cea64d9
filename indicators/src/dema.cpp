// DEMA batch: the two EMAs run in one pass over the input, in exactly the
// operation order of dema_stream.
#include "vyx/indicators/dema.hpp"

#include "batch_util.hpp"

namespace vyx::ta {

int dema_lookback(int period) noexcept {
  return 2 * (period - 1);
}

status dema(const columns& in, int period, double* out) noexcept {
  return detail::push_closes<dema_stream>(in, period, dema_lookback(period), out);
}

}  // namespace vyx::ta
