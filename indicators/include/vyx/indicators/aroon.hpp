// AROON: how recently the window of the current bar and the `period` bars
// before it made its high (up) and its low (down), 100 = this bar, 0 =
// `period` bars ago. On ties the most recent bar counts. Outputs: down, up.
#pragma once

#include <cstdint>

#include "vyx/indicators/core.hpp"
#include "vyx/indicators/window.hpp"

namespace vyx::ta {

int aroon_lookback(int period) noexcept;

status aroon(const columns& in, int period, double* down, double* up) noexcept;

class aroon_stream {
 public:
  static constexpr int output_count = 2;  // down, up
  static status validate(int period) noexcept;
  explicit aroon_stream(int period);
  int lookback() const noexcept { return period_; }
  void update(const bar& b, double* out) noexcept;
  void preview(const bar& b, double* out) const noexcept;
  void reset() noexcept;

 private:
  int period_;
  double factor_;  // 100 / period
  std::int64_t bars_ = 0;
  extreme_window<true> highest_;  // period + 1 bars
  extreme_window<false> lowest_;
};

}  // namespace vyx::ta
