// ATR: average true range. The first value, at bar `period`, is the mean of
// the true ranges of bars 1..period; then Wilder smoothing (alpha = 1/period).
#pragma once

#include <cstdint>

#include "vyx/indicators/core.hpp"

namespace vyx::ta {

int atr_lookback(int period) noexcept;

status atr(const columns& in, int period, double* out) noexcept;

class atr_stream {
 public:
  static constexpr int output_count = 1;
  static status validate(int period) noexcept;
  explicit atr_stream(int period) noexcept;
  int lookback() const noexcept { return period_; }
  void update(const bar& b, double* out) noexcept { *out = push(b.high, b.low, b.close); }
  void preview(const bar& b, double* out) const noexcept { *out = peek(b.high, b.low, b.close); }
  void reset() noexcept;

  // The value-level form, for NATR and other composites.
  double push(double high, double low, double close) noexcept;
  double peek(double high, double low, double close) const noexcept;

 private:
  int period_;
  double divisor_;  // period
  double keep_;     // period - 1
  std::int64_t bars_ = 0;
  double prev_close_ = 0;
  double value_ = 0;  // the running sum during warm-up, then the ATR
};

}  // namespace vyx::ta
