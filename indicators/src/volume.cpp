// Volume helpers, batch forms.
#include "vyx/indicators/volume.hpp"

#include <memory>
#include <new>

#include "batch_util.hpp"

namespace vyx::ta {

int avg_volume_lookback(int period) noexcept {
  return period - 1;
}

status avg_volume(const columns& in, int period, double* out) noexcept {
  if (in.volume == nullptr || out == nullptr) return status::invalid_input;
  if (avg_volume_stream::validate(period) != status::ok)
    return detail::fill_no_value(out, 0, in.size), status::invalid_option;
  if (status s = detail::warm_up(in.size, avg_volume_lookback(period), out); s != status::ok)
    return s;
  // window_sum's operations block by block: the window is the previous
  // block's suffix plus the current block's prefix.
  const double* v = in.volume;
  const std::size_t n = in.size, p = static_cast<std::size_t>(period);
  // std::nothrow_t{}, not std::nothrow: that object lives in libstdc++,
  // which a plugin built from this file may not import.
  std::unique_ptr<double[]> suffix(new (std::nothrow_t{}) double[p + 1]());
  if (!suffix) return status::invalid_input;
  for (std::size_t start = 0; start < n; start += p) {
    const std::size_t end = start + p < n ? start + p : n;
    double prefix = 0;
    for (std::size_t i = start; i < end; ++i) {
      prefix += v[i];
      const double total = suffix[i - start + 1] + prefix;
      if (i + 1 >= p) out[i] = total / period;
    }
    if (end - start == p) {
      double s = 0;
      suffix[p] = 0;
      for (std::size_t j = p; j-- > 0;) suffix[j] = (s += v[start + j]);
    }
  }
  return status::ok;
}

int buy_sell_volume_lookback() noexcept {
  return 0;
}

status buy_sell_volume(const columns& in, double* buy, double* sell, double* delta) noexcept {
  if (in.volume == nullptr || in.taker_buy_volume == nullptr || buy == nullptr || sell == nullptr ||
      delta == nullptr)
    return status::invalid_input;
  if (status s = detail::warm_up(in.size, buy_sell_volume_lookback(), buy, sell, delta);
      s != status::ok)
    return s;
  double out[3];
  for (std::size_t i = 0; i < in.size; ++i) {
    buy_sell_volume_stream::split(in.volume[i], in.taker_buy_volume[i], out);
    buy[i] = out[0], sell[i] = out[1], delta[i] = out[2];
  }
  return status::ok;
}

}  // namespace vyx::ta
