// crossover / crossunder of two series (an indicator and a level, two
// averages, ...): 1 on the bar where `a` moves from at-or-below `b` to above
// it (crossover) or from at-or-above to below (crossunder), else 0. Bar 0 has
// no previous bar (no_value); a NaN on either bar gives 0. These combine
// series rather than read candles, so they are not catalog entries.
#pragma once

#include <cstddef>

#include "vyx/indicators/core.hpp"

namespace vyx::ta {

inline double crossed_over(double a_prev, double b_prev, double a, double b) noexcept {
  return a_prev <= b_prev && a > b ? 1.0 : 0.0;  // false whenever a NaN is involved
}
inline double crossed_under(double a_prev, double b_prev, double a, double b) noexcept {
  return a_prev >= b_prev && a < b ? 1.0 : 0.0;
}

status crossover(const double* a, const double* b, std::size_t size, double* out) noexcept;
status crossunder(const double* a, const double* b, std::size_t size, double* out) noexcept;

// Streaming form: update(a, b) per bar; writes {crossover, crossunder}.
class cross_stream {
 public:
  static constexpr int output_count = 2;
  int lookback() const noexcept { return 1; }
  void update(double a, double b, double* out) noexcept {
    preview(a, b, out);
    a_prev_ = a, b_prev_ = b, started_ = true;
  }
  void preview(double a, double b, double* out) const noexcept {
    out[0] = started_ ? crossed_over(a_prev_, b_prev_, a, b) : no_value;
    out[1] = started_ ? crossed_under(a_prev_, b_prev_, a, b) : no_value;
  }
  void reset() noexcept { started_ = false; }

 private:
  bool started_ = false;
  double a_prev_ = 0, b_prev_ = 0;
};

}  // namespace vyx::ta
