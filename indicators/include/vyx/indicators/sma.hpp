// SMA: simple moving average, the mean of the last `period` closes.
#pragma once

#include <cstddef>
#include <memory>

#include "vyx/indicators/core.hpp"

namespace vyx::ta {

int sma_lookback(int period) noexcept;

status sma(const columns& in, int period, double* out) noexcept;

// The same over any series (volume, another indicator's output, ...).
status sma_of(const double* x, std::size_t size, int period, double* out) noexcept;

class sma_stream {
 public:
  static constexpr int output_count = 1;
  static status validate(int period) noexcept;
  explicit sma_stream(int period);
  int lookback() const noexcept { return period_ - 1; }
  void update(const bar& b, double* out) noexcept { *out = push(b.close); }
  void preview(const bar& b, double* out) const noexcept { *out = peek(b.close); }
  void reset() noexcept;

  // The value-level form, for composite indicators.
  double push(double x) noexcept;
  double peek(double x) const noexcept;

 private:
  // The window sum with x added (and, once full, the oldest value dropped).
  double next_sum(double x) const noexcept {
    return count_ >= period_ ? sum_ + (x - ring_[pos_]) : sum_ + x;
  }

  int period_;
  int pos_ = 0;  // next ring slot to write; after a write, the oldest value
  long count_ = 0;
  double sum_ = 0;
  std::unique_ptr<double[]> ring_;
};

}  // namespace vyx::ta
