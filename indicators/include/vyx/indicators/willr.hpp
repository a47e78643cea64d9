// WILLR: Williams %R, -100 * (HH - close) / (HH - LL) over the last `period`
// bars' highs and lows, in [-100, 0]; 0 when HH = LL.
#pragma once

#include <cstdint>

#include "vyx/indicators/core.hpp"
#include "vyx/indicators/window.hpp"

namespace vyx::ta {

int willr_lookback(int period) noexcept;

status willr(const columns& in, int period, double* out) noexcept;

class willr_stream {
 public:
  static constexpr int output_count = 1;
  static status validate(int period) noexcept;
  explicit willr_stream(int period) : highest_(period), lowest_(period) {}
  int lookback() const noexcept { return highest_.period() - 1; }
  void update(const bar& b, double* out) noexcept;
  void preview(const bar& b, double* out) const noexcept;
  void reset() noexcept;

 private:
  std::int64_t bars_ = 0;
  extreme_window<true> highest_;
  extreme_window<false> lowest_;
};

}  // namespace vyx::ta
