// OBV: on-balance volume. Starts at volume[0] on bar 0 (TA-Lib's choice, not
// 0), then adds the volume on a higher close and subtracts it on a lower one.
#pragma once

#include "vyx/indicators/core.hpp"

namespace vyx::ta {

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
    if (b.close > prev_close_) return value_ + b.volume;
    if (b.close < prev_close_) return value_ - b.volume;
    return value_;
  }

  bool started_ = false;
  double prev_close_ = 0;
  double value_ = 0;
};

}  // namespace vyx::ta
