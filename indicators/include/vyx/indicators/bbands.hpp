// BBANDS(period, up, down): middle = SMA(period) of close; σ = population
// standard deviation of the same closes; upper = middle + up·σ, lower =
// middle − down·σ. No absolute threshold on σ² (TA-Lib's 1e-14 collapses the
// bands of sub-cent coins); see bbands.cpp for how σ stays accurate.
#pragma once

#include <memory>

#include "vyx/indicators/core.hpp"

namespace vyx::ta {

int bbands_lookback(int period, double up, double down) noexcept;

status bbands(const columns& in, int period, double up, double down, double* upper, double* middle,
              double* lower) noexcept;

class bbands_stream {
 public:
  static constexpr int output_count = 3;  // upper, middle, lower
  static status validate(int period, double up, double down) noexcept;
  bbands_stream(int period, double up, double down);
  int lookback() const noexcept { return period_ - 1; }
  void update(const bar& b, double* out) noexcept;
  void preview(const bar& b, double* out) const noexcept;
  void reset() noexcept;

 private:
  int period_;
  double up_, down_;
  int pos_ = 0;  // next ring slot; the oldest value once the ring is full
  long count_ = 0;
  double anchor_ = 0;  // values enter the sums as x − anchor
  double sum_ = 0;     // Σ(x − anchor) over the window
  double squares_ = 0; // Σ(x − anchor)² over the window
  std::unique_ptr<double[]> ring_;
};

}  // namespace vyx::ta
