// VWAP of the typical price (high + low + close)/3, two forms:
// - vwap: session-anchored, the sums restart at each UTC day boundary of
//   open_time (a null open_time column, or 0 in every bar, is one session);
// - vwap_rolling(period): over the last `period` bars.
// With no volume in the sums yet, the value is the bar's typical price.
#pragma once

#include <cstdint>

#include "vyx/indicators/core.hpp"
#include "vyx/indicators/window.hpp"

namespace vyx::ta {

inline double typical_price(double high, double low, double close) noexcept {
  return (high + low + close) / 3.0;
}

// The UTC day of a Unix-ms time, rounding toward −∞.
inline std::int64_t utc_day(std::int64_t ms) noexcept {
  constexpr std::int64_t day = 86'400'000;
  return ms >= 0 ? ms / day : -((-ms + day - 1) / day);
}

int vwap_lookback() noexcept;

status vwap(const columns& in, double* out) noexcept;

class vwap_stream {
 public:
  static constexpr int output_count = 1;
  static status validate() noexcept { return status::ok; }
  vwap_stream() noexcept = default;
  int lookback() const noexcept { return 0; }
  void update(const bar& b, double* out) noexcept {
    const std::int64_t day = utc_day(b.open_time);
    if (!started_ || day != day_) started_ = true, day_ = day, price_volume_ = 0, volume_ = 0;
    const double tp = typical_price(b.high, b.low, b.close);
    price_volume_ += tp * b.volume;
    volume_ += b.volume;
    *out = volume_ != 0 ? price_volume_ / volume_ : tp;
  }
  void preview(const bar& b, double* out) const noexcept {
    vwap_stream copy = *this;
    copy.update(b, out);
  }
  void reset() noexcept { started_ = false, price_volume_ = 0, volume_ = 0; }

 private:
  bool started_ = false;
  std::int64_t day_ = 0;
  double price_volume_ = 0;
  double volume_ = 0;
};

int vwap_rolling_lookback(int period) noexcept;

status vwap_rolling(const columns& in, int period, double* out) noexcept;

class vwap_rolling_stream {
 public:
  static constexpr int output_count = 1;
  static status validate(int period) noexcept {
    return period >= 1 ? status::ok : status::invalid_option;
  }
  explicit vwap_rolling_stream(int period)
      : period_(period), price_volume_(period), volume_(period) {}
  int lookback() const noexcept { return period_ - 1; }
  void update(const bar& b, double* out) noexcept {
    const double tp = typical_price(b.high, b.low, b.close);
    const double pv = price_volume_.push(tp * b.volume);
    const double v = volume_.push(b.volume);
    *out = ++count_ < period_ ? no_value : v != 0 ? pv / v : tp;
  }
  void preview(const bar& b, double* out) const noexcept {
    const double tp = typical_price(b.high, b.low, b.close);
    const double pv = price_volume_.peek(tp * b.volume);
    const double v = volume_.peek(b.volume);
    *out = count_ + 1 < period_ ? no_value : v != 0 ? pv / v : tp;
  }
  void reset() noexcept { price_volume_.reset(), volume_.reset(), count_ = 0; }

 private:
  int period_;
  long count_ = 0;
  window_sum price_volume_, volume_;
};

}  // namespace vyx::ta
