// TEMA batch: the three EMAs run in one pass over the input, in exactly the
// operation order of tema_stream.
#include "vyx/indicators/tema.hpp"

#include "batch_util.hpp"

namespace vyx::ta {

int tema_lookback(int period) noexcept { return 3 * (period - 1); }

status tema(const columns& in, int period, double* out) noexcept {
  if (in.close == nullptr || out == nullptr) return status::invalid_input;
  if (tema_stream::validate(period) != status::ok) return detail::fill_no_value(out, 0, in.size), status::invalid_option;
  if (status s = detail::warm_up(in.size, tema_lookback(period), out); s != status::ok) return s;
  tema_stream state(period);
  const std::size_t lookback = static_cast<std::size_t>(tema_lookback(period));
  for (std::size_t i = 0; i < lookback; ++i) state.push(in.close[i]);
  for (std::size_t i = lookback; i < in.size; ++i) out[i] = state.push(in.close[i]);
  return status::ok;
}

}  // namespace vyx::ta
