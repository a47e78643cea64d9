// ADX: average directional index, Wilder-smoothed DX = 100 * |+DI - -DI| /
// (+DI + -DI). First value at bar 2*period - 1: the mean of DX over bars
// period..2*period-1.
#pragma once

#include "vyx/indicators/core.hpp"
#include "vyx/indicators/detail/directional_movement.hpp"

namespace vyx::ta {

int adx_lookback(int period) noexcept;

status adx(const columns& in, int period, double* out) noexcept;

class adx_stream {
 public:
  static constexpr int output_count = 1;
  static status validate(int period) noexcept;
  explicit adx_stream(int period) noexcept;
  int lookback() const noexcept { return 2 * sums_.period() - 1; }
  void update(const bar& b, double* out) noexcept;
  void preview(const bar& b, double* out) const noexcept;
  void reset() noexcept;

 private:
  detail::directional_sums<detail::dm_side::both> sums_;
  double divisor_;    // period
  double keep_;       // period - 1
  double value_ = 0;  // the DX sum until the first ADX, then the ADX
};

}  // namespace vyx::ta
