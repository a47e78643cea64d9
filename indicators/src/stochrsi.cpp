// STOCHRSI and the smoothed Stoch RSI, batch forms: both run their streaming
// state over the series.
#include "vyx/indicators/stochrsi.hpp"

#include "batch_util.hpp"

namespace vyx::ta {

int stochrsi_lookback(int rsi_period, int k, int d) noexcept { return rsi_period + (k - 1) + (d - 1); }

int stochrsi_smoothed_lookback(int rsi_period, int stoch_period, int k, int d) noexcept {
  return rsi_period + (stoch_period - 1) + (k - 1) + (d - 1);
}

namespace {

template <class Stream>
void run(Stream& state, const columns& in, double* a, double* b) noexcept {
  double out[2];
  bar x;
  for (std::size_t i = 0; i < in.size; ++i) {
    x.close = in.close[i];
    state.update(x, out);
    a[i] = out[0], b[i] = out[1];
  }
}

}  // namespace

status stochrsi(const columns& in, int rsi_period, int k, int d, double* fastk, double* fastd) noexcept {
  if (in.close == nullptr || fastk == nullptr || fastd == nullptr) return status::invalid_input;
  if (stochrsi_stream::validate(rsi_period, k, d) != status::ok) {
    detail::fill_no_value(fastk, 0, in.size);
    detail::fill_no_value(fastd, 0, in.size);
    return status::invalid_option;
  }
  if (status s = detail::warm_up(in.size, stochrsi_lookback(rsi_period, k, d), fastk, fastd); s != status::ok)
    return s;
  stochrsi_stream state(rsi_period, k, d);
  run(state, in, fastk, fastd);
  return status::ok;
}

status stochrsi_smoothed(const columns& in, int rsi_period, int stoch_period, int k, int d, double* k_line,
                         double* d_line) noexcept {
  if (in.close == nullptr || k_line == nullptr || d_line == nullptr) return status::invalid_input;
  if (stochrsi_smoothed_stream::validate(rsi_period, stoch_period, k, d) != status::ok) {
    detail::fill_no_value(k_line, 0, in.size);
    detail::fill_no_value(d_line, 0, in.size);
    return status::invalid_option;
  }
  const int lookback = stochrsi_smoothed_lookback(rsi_period, stoch_period, k, d);
  if (status s = detail::warm_up(in.size, lookback, k_line, d_line); s != status::ok) return s;
  stochrsi_smoothed_stream state(rsi_period, stoch_period, k, d);
  run(state, in, k_line, d_line);
  return status::ok;
}

}  // namespace vyx::ta
