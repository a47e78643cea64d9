// RSI batch: the seed sums, then Wilder smoothing written as
// avg·(n−1)/n + x/n so the loop-carried chain is one multiply and one add;
// operation for operation the same as rsi_core.
#include "vyx/indicators/rsi.hpp"

#include "batch_util.hpp"

namespace vyx::ta {

int rsi_lookback(int period) noexcept {
  return period;
}

status rsi(const columns& in, int period, double* out) noexcept {
  if (in.close == nullptr || out == nullptr) return status::invalid_input;
  if (rsi_stream::validate(period) != status::ok)
    return detail::fill_no_value(out, 0, in.size), status::invalid_option;
  if (status s = detail::warm_up(in.size, rsi_lookback(period), out); s != status::ok) return s;

  const double* x = in.close;
  const std::size_t p = static_cast<std::size_t>(period);
  const double keep = static_cast<double>(period - 1) / period;
  const double share = 1.0 / period;
  double gain = 0, loss = 0;
  for (std::size_t i = 1; i <= p; ++i) {
    const double d = x[i] - x[i - 1];
    if (d < 0)
      loss -= d;
    else
      gain += d;
  }
  gain /= period;
  loss /= period;
  double last = out[p] = rsi_core::ratio(gain, loss);
  for (std::size_t i = p + 1; i < in.size; ++i) {
    const double d = x[i] - x[i - 1];
    gain = gain * keep + rsi_core::up_move(d) * share;
    loss = loss * keep + rsi_core::up_move(-d) * share;
    out[i] = last = d == 0 ? last : rsi_core::ratio(gain, loss);
  }
  return status::ok;
}

}  // namespace vyx::ta
