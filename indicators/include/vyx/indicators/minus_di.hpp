// MINUS_DI: minus directional indicator, 100 * S(-DM) / S(TR) over Wilder
// sums seeded from bars 1..period-1 (TA-Lib's). First value at bar `period`.
#pragma once

#include "vyx/indicators/core.hpp"
#include "vyx/indicators/detail/directional_movement.hpp"

namespace vyx::ta {

int minus_di_lookback(int period) noexcept;

status minus_di(const columns& in, int period, double* out) noexcept;

class minus_di_stream {
 public:
  static constexpr int output_count = 1;
  static status validate(int period) noexcept;
  explicit minus_di_stream(int period) noexcept : sums_(period) {}
  int lookback() const noexcept { return sums_.period(); }
  void update(const bar& b, double* out) noexcept;
  void preview(const bar& b, double* out) const noexcept;
  void reset() noexcept { sums_.reset(); }

 private:
  detail::directional_sums<detail::dm_side::minus> sums_;
};

}  // namespace vyx::ta
