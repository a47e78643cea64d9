// SAR: Wilder's parabolic stop and reverse (TA-Lib's rules for the starting
// side and the flips). First value at bar 1.
#pragma once

#include <cstdint>

#include "vyx/indicators/core.hpp"

namespace vyx::ta {

int sar_lookback(double acceleration, double maximum) noexcept;

status sar(const columns& in, double acceleration, double maximum, double* out) noexcept;

class sar_stream {
 public:
  static constexpr int output_count = 1;
  static status validate(double acceleration, double maximum) noexcept;
  sar_stream(double acceleration, double maximum) noexcept;
  int lookback() const noexcept { return 1; }
  void update(const bar& b, double* out) noexcept;
  void preview(const bar& b, double* out) const noexcept;
  void reset() noexcept { bars_ = 0; }

  // The whole state of the recursion; one step per bar from bar 1.
  struct state {
    bool is_long;
    double sar;        // the stop for the coming bar
    double extreme;    // extreme point of the current side
    double factor;     // acceleration factor
    double prev_high;  // high and low of the previous bar (bar 1's own at bar 1)
    double prev_low;
  };

 private:
  double acceleration_;
  double maximum_;
  std::int64_t bars_ = 0;
  double first_high_ = 0, first_low_ = 0;  // bar 0, read when bar 1 picks the side
  state state_{};
};

}  // namespace vyx::ta
