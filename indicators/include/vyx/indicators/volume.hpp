// Volume helpers: avg_volume(period), the mean volume of the last `period`
// bars, and buy_sell_volume, the platform's taker split: buy = taker buy
// volume, sell = volume − buy, delta = buy − sell.
#pragma once

#include "vyx/indicators/core.hpp"
#include "vyx/indicators/window.hpp"

namespace vyx::ta {

int avg_volume_lookback(int period) noexcept;

status avg_volume(const columns& in, int period, double* out) noexcept;

// Sums without subtracting (window_sum), so a window of zero volume averages
// to exactly 0.
class avg_volume_stream {
 public:
  static constexpr int output_count = 1;
  static status validate(int period) noexcept {
    return period >= 1 ? status::ok : status::invalid_option;
  }
  explicit avg_volume_stream(int period) : period_(period), sum_(period) {}
  int lookback() const noexcept { return period_ - 1; }
  void update(const bar& b, double* out) noexcept {
    const double s = sum_.push(b.volume);
    *out = ++count_ < period_ ? no_value : s / period_;
  }
  void preview(const bar& b, double* out) const noexcept {
    const double s = sum_.peek(b.volume);
    *out = count_ + 1 < period_ ? no_value : s / period_;
  }
  void reset() noexcept { sum_.reset(), count_ = 0; }

 private:
  int period_;
  long count_ = 0;
  window_sum sum_;
};

int buy_sell_volume_lookback() noexcept;

status buy_sell_volume(const columns& in, double* buy, double* sell, double* delta) noexcept;

class buy_sell_volume_stream {
 public:
  static constexpr int output_count = 3;  // buy, sell, delta
  static status validate() noexcept { return status::ok; }
  buy_sell_volume_stream() noexcept = default;
  int lookback() const noexcept { return 0; }
  void update(const bar& b, double* out) const noexcept {
    split(b.volume, b.taker_buy_volume, out);
  }
  void preview(const bar& b, double* out) const noexcept {
    split(b.volume, b.taker_buy_volume, out);
  }
  void reset() noexcept {}

  static void split(double volume, double buy, double* out) noexcept {
    const double sell = volume - buy;
    out[0] = buy;
    out[1] = sell;
    out[2] = buy - sell;
  }
};

}  // namespace vyx::ta
