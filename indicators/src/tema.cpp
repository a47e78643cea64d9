// TEMA batch: the three EMAs run in one pass over the input, in exactly the
// operation order of tema_stream.
#include "vyx/indicators/tema.hpp"

#include "batch_util.hpp"

namespace vyx::ta {

int tema_lookback(int period) noexcept {
  return 3 * (period - 1);
}

status tema(const columns& in, int period, double* out) noexcept {
  return detail::push_closes<tema_stream>(in, period, tema_lookback(period), out);
}

}  // namespace vyx::ta
