// Volume helpers, batch forms.
#include "vyx/indicators/volume.hpp"

#include "batch_util.hpp"

namespace vyx::ta {

int avg_volume_lookback(int period) noexcept { return period - 1; }

status avg_volume(const columns& in, int period, double* out) noexcept {
  if (in.volume == nullptr || out == nullptr) return status::invalid_input;
  if (avg_volume_stream::validate(period) != status::ok) return detail::fill_no_value(out, 0, in.size), status::invalid_option;
  if (status s = detail::warm_up(in.size, avg_volume_lookback(period), out); s != status::ok) return s;
  avg_volume_stream state(period);
  bar b;
  for (std::size_t i = 0; i < in.size; ++i) {
    b.volume = in.volume[i];
    state.update(b, out + i);
  }
  return status::ok;
}

int buy_sell_volume_lookback() noexcept { return 0; }

status buy_sell_volume(const columns& in, double* buy, double* sell, double* delta) noexcept {
  if (in.volume == nullptr || in.taker_buy_volume == nullptr || buy == nullptr || sell == nullptr || delta == nullptr)
    return status::invalid_input;
  if (status s = detail::warm_up(in.size, buy_sell_volume_lookback(), buy, sell, delta); s != status::ok) return s;
  double out[3];
  for (std::size_t i = 0; i < in.size; ++i) {
    buy_sell_volume_stream::split(in.volume[i], in.taker_buy_volume[i], out);
    buy[i] = out[0], sell[i] = out[1], delta[i] = out[2];
  }
  return status::ok;
}

}  // namespace vyx::ta
