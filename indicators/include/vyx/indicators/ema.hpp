// EMA: exponential moving average, alpha = 2/(period+1), seeded at bar
// period-1 with the mean of the first `period` closes (TA-Lib's seeding).
#pragma once

#include <cstddef>

#include "vyx/indicators/core.hpp"

namespace vyx::ta {

int ema_lookback(int period) noexcept;

status ema(const columns& in, int period, double* out) noexcept;

// The value-level EMA used by EMA, DEMA, TEMA and MACD: no value until it has
// seen `period` inputs, whose mean is the first value.
class ema_core {
 public:
  explicit ema_core(int period) noexcept : period_(period), k_(2.0 / (period + 1)), m_(1.0 - k_) {}

  bool ready() const noexcept { return count_ >= period_; }

  double push(double x) noexcept {
    if (count_ >= period_) return value_ = next(x);
    sum_ += x;
    if (++count_ < period_) return no_value;
    return value_ = sum_ / period_;
  }

  double peek(double x) const noexcept {
    if (count_ >= period_) return next(x);
    if (count_ + 1 < period_) return no_value;
    return (sum_ + x) / period_;
  }

  void reset() noexcept { count_ = 0, sum_ = 0, value_ = 0; }

 private:
  // x·k + ema·(1−k): the two products are independent, so the loop-carried
  // dependency is one multiply and one add.
  double next(double x) const noexcept { return x * k_ + value_ * m_; }

  int period_;
  double k_;
  double m_;
  int count_ = 0;
  double sum_ = 0;
  double value_ = 0;
};

class ema_stream {
 public:
  static constexpr int output_count = 1;
  static status validate(int period) noexcept {
    return period >= 1 ? status::ok : status::invalid_option;
  }
  explicit ema_stream(int period) noexcept : period_(period), ema_(period) {}
  int lookback() const noexcept { return period_ - 1; }
  void update(const bar& b, double* out) noexcept { *out = ema_.push(b.close); }
  void preview(const bar& b, double* out) const noexcept { *out = ema_.peek(b.close); }
  void reset() noexcept { ema_.reset(); }

 private:
  int period_;
  ema_core ema_;
};

}  // namespace vyx::ta
