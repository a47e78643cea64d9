// VWAP batch forms: both run their streaming state over the series.
#include "vyx/indicators/vwap.hpp"

#include "batch_util.hpp"

namespace vyx::ta {
namespace {

template <class Stream>
void run(Stream& state, const columns& in, double* out) noexcept {
  bar b;
  for (std::size_t i = 0; i < in.size; ++i) {
    b.high = in.high[i], b.low = in.low[i], b.close = in.close[i], b.volume = in.volume[i];
    b.open_time = in.open_time != nullptr ? in.open_time[i] : 0;
    state.update(b, out + i);
  }
}

bool has_inputs(const columns& in, const double* out) noexcept {
  return in.high != nullptr && in.low != nullptr && in.close != nullptr && in.volume != nullptr &&
         out != nullptr;
}

}  // namespace

int vwap_lookback() noexcept {
  return 0;
}

status vwap(const columns& in, double* out) noexcept {
  if (!has_inputs(in, out)) return status::invalid_input;
  if (status s = detail::warm_up(in.size, vwap_lookback(), out); s != status::ok) return s;
  vwap_stream state;
  run(state, in, out);
  return status::ok;
}

int vwap_rolling_lookback(int period) noexcept {
  return period - 1;
}

status vwap_rolling(const columns& in, int period, double* out) noexcept {
  if (!has_inputs(in, out)) return status::invalid_input;
  if (vwap_rolling_stream::validate(period) != status::ok)
    return detail::fill_no_value(out, 0, in.size), status::invalid_option;
  if (status s = detail::warm_up(in.size, vwap_rolling_lookback(period), out); s != status::ok)
    return s;
  vwap_rolling_stream state(period);
  run(state, in, out);
  return status::ok;
}

}  // namespace vyx::ta
