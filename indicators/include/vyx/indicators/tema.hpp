// TEMA: triple EMA, 3·E1 − 3·E2 + E3 (E2 = EMA of E1, E3 = EMA of E2, each
// seeded with the mean of its first `period` inputs); first value at bar
// 3·(period−1).
#pragma once

#include "vyx/indicators/ema.hpp"

namespace vyx::ta {

int tema_lookback(int period) noexcept;

status tema(const columns& in, int period, double* out) noexcept;

class tema_stream {
 public:
  static constexpr int output_count = 1;
  static status validate(int period) noexcept {
    return period >= 1 ? status::ok : status::invalid_option;
  }
  explicit tema_stream(int period) noexcept
      : period_(period), e1_(period), e2_(period), e3_(period) {}
  int lookback() const noexcept { return tema_lookback(period_); }

  double push(double x) noexcept {
    const double a = e1_.push(x);
    if (!e1_.ready()) return no_value;
    const double b = e2_.push(a);
    if (!e2_.ready()) return no_value;
    const double c = e3_.push(b);
    if (!e3_.ready()) return no_value;
    return 3.0 * a - 3.0 * b + c;
  }
  double peek(double x) const noexcept {
    const double a = e1_.peek(x);
    if (a != a) return no_value;
    const double b = e2_.peek(a);
    if (b != b) return no_value;
    const double c = e3_.peek(b);
    if (c != c) return no_value;
    return 3.0 * a - 3.0 * b + c;
  }
  void update(const bar& b, double* out) noexcept { *out = push(b.close); }
  void preview(const bar& b, double* out) const noexcept { *out = peek(b.close); }
  void reset() noexcept { e1_.reset(), e2_.reset(), e3_.reset(); }

 private:
  int period_;
  ema_core e1_, e2_, e3_;
};

}  // namespace vyx::ta
