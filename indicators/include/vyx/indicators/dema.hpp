// DEMA: double EMA, 2·E1 − E2 where E2 is the EMA of E1; each inner EMA is
// seeded with the mean of its first `period` inputs, so the first value is at
// bar 2·(period−1).
#pragma once

#include "vyx/indicators/ema.hpp"

namespace vyx::ta {

int dema_lookback(int period) noexcept;

status dema(const columns& in, int period, double* out) noexcept;

class dema_stream {
 public:
  static constexpr int output_count = 1;
  static status validate(int period) noexcept {
    return period >= 1 ? status::ok : status::invalid_option;
  }
  explicit dema_stream(int period) noexcept : period_(period), e1_(period), e2_(period) {}
  int lookback() const noexcept { return dema_lookback(period_); }

  double push(double x) noexcept {
    const double a = e1_.push(x);
    if (!e1_.ready()) return no_value;
    const double b = e2_.push(a);
    if (!e2_.ready()) return no_value;
    return 2.0 * a - b;
  }
  double peek(double x) const noexcept {
    const double a = e1_.peek(x);
    if (a != a) return no_value;
    const double b = e2_.peek(a);
    if (b != b) return no_value;
    return 2.0 * a - b;
  }
  void update(const bar& b, double* out) noexcept { *out = push(b.close); }
  void preview(const bar& b, double* out) const noexcept { *out = peek(b.close); }
  void reset() noexcept { e1_.reset(), e2_.reset(); }

 private:
  int period_;
  ema_core e1_, e2_;
};

}  // namespace vyx::ta
