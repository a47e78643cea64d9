// TRANGE: true range, the bar's high-low range widened to reach the previous
// close. First value at bar 1 (bar 0 has no previous close).
#pragma once

#include "vyx/indicators/core.hpp"

namespace vyx::ta {

int trange_lookback() noexcept;

status trange(const columns& in, double* out) noexcept;

class trange_stream {
 public:
  static constexpr int output_count = 1;
  static status validate() noexcept { return status::ok; }
  trange_stream() = default;
  int lookback() const noexcept { return 1; }
  void update(const bar& b, double* out) noexcept;
  void preview(const bar& b, double* out) const noexcept;
  void reset() noexcept { started_ = false; }

 private:
  bool started_ = false;
  double prev_close_ = 0;
};

}  // namespace vyx::ta
