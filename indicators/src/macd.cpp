// MACD batch: runs the streaming state over the series, so both forms share
// one definition of TA-Lib's seeding.
#include "vyx/indicators/macd.hpp"

#include "batch_util.hpp"

namespace vyx::ta {

int macd_lookback(int fast, int slow, int signal) noexcept {
  const int longer = fast < slow ? slow : fast;
  return longer - 1 + signal - 1;
}

status macd(const columns& in, int fast, int slow, int signal, double* macd_line,
            double* signal_line, double* histogram) noexcept {
  if (in.close == nullptr || macd_line == nullptr || signal_line == nullptr || histogram == nullptr)
    return status::invalid_input;
  if (macd_stream::validate(fast, slow, signal) != status::ok) {
    detail::fill_no_value(macd_line, 0, in.size);
    detail::fill_no_value(signal_line, 0, in.size);
    detail::fill_no_value(histogram, 0, in.size);
    return status::invalid_option;
  }
  const int lookback = macd_lookback(fast, slow, signal);
  if (status s = detail::warm_up(in.size, lookback, macd_line, signal_line, histogram);
      s != status::ok)
    return s;
  macd_stream state(fast, slow, signal);
  double out[3];
  for (std::size_t i = 0; i < in.size; ++i) {
    bar b;
    b.close = in.close[i];
    state.update(b, out);
    macd_line[i] = out[0];
    signal_line[i] = out[1];
    histogram[i] = out[2];
  }
  return status::ok;
}

}  // namespace vyx::ta
