// OBV: on-balance volume. Starts at volume[0] on bar 0 (TA-Lib's choice, not
// 0), then adds the volume on a higher close and subtracts it on a lower one.
#pragma once

#include "vyx/indicators/core.hpp"
#include "vyx/indicators/detail/double_pair.hpp"

namespace vyx::ta {

namespace detail {

// What each bar adds to OBV: +volume on a higher close, -volume on a lower
// one, 0 otherwise (also for NaN). Masks, not branches (the close goes up or
// down at random); value + (0 - v) is value - v to the bit, and value + 0 is
// value, so this equals TA-Lib's add / subtract / leave.
inline double_pair signed_volume(double_pair close, double_pair prev_close,
                                 double_pair volume) noexcept {
  const mask_pair v = reinterpret_cast<mask_pair>(volume);
  const double_pair up = reinterpret_cast<double_pair>(v & (close > prev_close));
  const double_pair down = reinterpret_cast<double_pair>(v & (close < prev_close));
  return up - down;
}

}  // namespace detail

int obv_lookback() noexcept;

status obv(const columns& in, double* out) noexcept;

class obv_stream {
 public:
  static constexpr int output_count = 1;
  static status validate() noexcept { return status::ok; }
  obv_stream() = default;
  int lookback() const noexcept { return 0; }
  void update(const bar& b, double* out) noexcept {
    value_ = next(b);
    prev_close_ = b.close;
    started_ = true;
    *out = value_;
  }
  void preview(const bar& b, double* out) const noexcept { *out = next(b); }
  void reset() noexcept { started_ = false; }

 private:
  double next(const bar& b) const noexcept {
    if (!started_) return b.volume;
    return value_ + detail::signed_volume(detail::double_pair{b.close, 0},
                                          detail::double_pair{prev_close_, 0},
                                          detail::double_pair{b.volume, 0})[0];
  }

  bool started_ = false;
  double prev_close_ = 0;
  double value_ = 0;
};

}  // namespace vyx::ta
