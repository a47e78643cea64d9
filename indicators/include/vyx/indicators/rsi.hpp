// RSI: relative strength index with Wilder smoothing. The first averages are
// the plain means of the gains and losses of bars 1..period; RSI =
// 100·G/(G+L), and 0 when G+L is 0 (TA-Lib's convention, not 50).
#pragma once

#include "vyx/indicators/core.hpp"

namespace vyx::ta {

int rsi_lookback(int period) noexcept;

status rsi(const columns& in, int period, double* out) noexcept;

// The value-level RSI, also used by STOCHRSI.
class rsi_core {
 public:
  explicit rsi_core(int period) noexcept
      : period_(period), keep_(static_cast<double>(period - 1) / period), share_(1.0 / period) {}

  double push(double x) noexcept {
    double value = no_value;
    if (count_ == 0) {
      // the first bar only sets the previous close
    } else if (count_ <= period_) {
      const double d = x - prev_;
      if (d < 0)
        loss_ -= d;
      else
        gain_ += d;
      if (count_ == period_) {
        gain_ /= period_;
        loss_ /= period_;
        value = last_ = ratio(gain_, loss_);
      }
    } else {
      const double d = x - prev_;
      gain_ = gain_ * keep_ + up_move(d) * share_;
      loss_ = loss_ * keep_ + up_move(-d) * share_;
      // An unchanged close scales both averages by the same factor: the RSI
      // is exactly the previous one (recomputing would add last-bit noise,
      // which a stochastic of the RSI would then amplify).
      value = last_ = d == 0 ? last_ : ratio(gain_, loss_);
    }
    prev_ = x;
    ++count_;
    return value;
  }

  double peek(double x) const noexcept {
    rsi_core copy = *this;
    return copy.push(x);
  }

  void reset() noexcept { count_ = 0, prev_ = gain_ = loss_ = last_ = 0; }

  // max(d, 0) without a branch (the sign of a price change is a coin flip; a
  // branch on it mispredicts half the time): d + |d| is 2d or 0 exactly.
  static double up_move(double d) noexcept { return (d + std::fabs(d)) * 0.5; }

  static double ratio(double gain, double loss) noexcept {
    const double sum = gain + loss;
    return sum != 0 ? 100.0 * (gain / sum) : 0.0;
  }

 private:
  int period_;
  double keep_;   // (period − 1)/period
  double share_;  // 1/period
  long count_ = 0;
  double prev_ = 0;
  double gain_ = 0;
  double loss_ = 0;
  double last_ = 0;
};

class rsi_stream {
 public:
  static constexpr int output_count = 1;
  static status validate(int period) noexcept {
    return period >= 1 ? status::ok : status::invalid_option;
  }
  explicit rsi_stream(int period) noexcept : period_(period), rsi_(period) {}
  int lookback() const noexcept { return period_; }
  void update(const bar& b, double* out) noexcept { *out = rsi_.push(b.close); }
  void preview(const bar& b, double* out) const noexcept { *out = rsi_.peek(b.close); }
  void reset() noexcept { rsi_.reset(); }

 private:
  int period_;
  rsi_core rsi_;
};

}  // namespace vyx::ta
