// CCI: commodity channel index, (TP - mean) / (0.015 * mean deviation) over
// the last `period` typical prices TP = (high + low + close) / 3.
#pragma once

#include <cstdint>
#include <memory>

#include "vyx/indicators/core.hpp"

namespace vyx::ta {

int cci_lookback(int period) noexcept;

status cci(const columns& in, int period, double* out) noexcept;

// update is O(period): the mean deviation is taken around the current mean,
// so every bar of the window is revisited (20 bars by default).
class cci_stream {
 public:
  static constexpr int output_count = 1;
  static status validate(int period) noexcept;
  explicit cci_stream(int period);
  cci_stream(const cci_stream& other);
  cci_stream(cci_stream&&) noexcept = default;
  int lookback() const noexcept { return period_ - 1; }
  void update(const bar& b, double* out) noexcept;
  void preview(const bar& b, double* out) const noexcept;
  void reset() noexcept;

 private:
  int period_;
  int pos_ = 0;  // slot of the oldest of the previous period-1 prices
  std::int64_t bars_ = 0;
  // The previous period-1 typical prices, stored twice (at i and
  // i + period-1) so the window is always one contiguous run, oldest first.
  std::unique_ptr<double[]> ring_;
};

}  // namespace vyx::ta
