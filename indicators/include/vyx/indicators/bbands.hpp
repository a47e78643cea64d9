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
  struct block_sums {
    double anchor, sum, squares;  // Σ(x − anchor), Σ(x − anchor)² over the block so far
  };
  void emit(const block_sums& current, int in_block, double* out) const noexcept;
  void close_block(const double* values) noexcept;  // the block's `period` values, oldest first
  friend status bbands(const columns&, int, double, double, double*, double*, double*) noexcept;

  int period_;
  double up_, down_;
  long count_ = 0;
  int in_block_ = 0;  // values of the current block seen so far (0..period−1)
  block_sums current_{0, 0, 0};
  double previous_anchor_ = 0;  // the previous block's last value
  // Per-period tables: 1/n (0 for n = 0), n/period, (period − n)·n/period.
  std::unique_ptr<double[]> inverse_, fraction_, weight_;
  std::unique_ptr<double[]> block_;  // the current block's values
  // Suffix sums of the previous block around previous_anchor_: index j covers
  // its values j..period−1 (index period: empty).
  std::unique_ptr<double[]> suffix_sum_, suffix_squares_;
};

}  // namespace vyx::ta
