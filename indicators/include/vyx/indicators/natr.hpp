// NATR: normalised ATR, 100 * ATR / close, in percent of the price.
#pragma once

#include "vyx/indicators/atr.hpp"
#include "vyx/indicators/core.hpp"

namespace vyx::ta {

int natr_lookback(int period) noexcept;

status natr(const columns& in, int period, double* out) noexcept;

class natr_stream {
 public:
  static constexpr int output_count = 1;
  static status validate(int period) noexcept { return atr_stream::validate(period); }
  explicit natr_stream(int period) noexcept : atr_(period) {}
  int lookback() const noexcept { return atr_.lookback(); }
  void update(const bar& b, double* out) noexcept;
  void preview(const bar& b, double* out) const noexcept;
  void reset() noexcept { atr_.reset(); }

 private:
  atr_stream atr_;
};

}  // namespace vyx::ta
