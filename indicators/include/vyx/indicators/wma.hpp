// WMA: linearly weighted moving average, weights 1..period with the newest
// bar heaviest, divided by period·(period+1)/2.
#pragma once

#include <memory>

#include "vyx/indicators/core.hpp"

namespace vyx::ta {

int wma_lookback(int period) noexcept;

status wma(const columns& in, int period, double* out) noexcept;

class wma_stream {
 public:
  static constexpr int output_count = 1;
  static status validate(int period) noexcept {
    return period >= 1 ? status::ok : status::invalid_option;
  }
  explicit wma_stream(int period);
  int lookback() const noexcept { return period_ - 1; }
  void update(const bar& b, double* out) noexcept;
  void preview(const bar& b, double* out) const noexcept;
  void reset() noexcept;

 private:
  [[gnu::noinline]] void warm_up(double x, double* out) noexcept;

  int period_;
  double divider_;
  int pos_ = 0;
  long count_ = 0;
  double plain_sum_ = 0;     // sum of the window
  double weighted_sum_ = 0;  // weighted sum of the window
  std::unique_ptr<double[]> ring_;
};

}  // namespace vyx::ta
