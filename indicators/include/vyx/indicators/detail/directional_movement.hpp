// Wilder's running sums of +DM, -DM and true range, shared by PLUS_DI,
// MINUS_DI and ADX so all three fold bars in exactly the same way.
#pragma once

#include <cstdint>

#include "vyx/indicators/detail/price_math.hpp"

namespace vyx::ta::detail {

// TA-Lib seeds the sums with plain sums over bars 1..period-1 (period-1
// bars, not period) and folds in every later bar as S = S - S/period + x.
// The sums are complete, and DI defined, from bar `period` on.
// +DM and -DM of one bar from its up move (high - previous high) and down
// move (previous low - low): the larger move counts if it is positive, equal
// moves count for neither. Written as selects, not branches: up and down win
// at random, and mispredictions would dominate the cost of a bar.
struct directional_move {
  double plus;
  double minus;
};

inline directional_move classify_move(double up, double down) noexcept {
  double plus = up > down ? up : 0.0;
  plus = plus > 0.0 ? plus : 0.0;
  double minus = down > up ? down : 0.0;
  minus = minus > 0.0 ? minus : 0.0;
  return directional_move{plus, minus};
}

class directional_sums {
 public:
  explicit directional_sums(int period) noexcept : period_(period), divisor_(period) {}

  void reset() noexcept {
    bars_ = 0;
    plus_ = minus_ = range_ = 0;
  }

  // Folds in the next bar. Equal up and down moves give 0 to both sides.
  void add(double high, double low, double close) noexcept {
    if (bars_ >= period_) return add_seeded(high, low, close);
    if (bars_ != 0) {
      const double up = high - prev_high_;
      const double down = prev_low_ - low;
      const directional_move move = classify_move(up, down);
      plus_ += move.plus;
      minus_ += move.minus;
      range_ += true_range(high, low, prev_close_);
    }
    prev_high_ = high;
    prev_low_ = low;
    prev_close_ = close;
    ++bars_;
  }

  // add() for a bar once the sums are seeded (bars() >= period), without the
  // warm-up branches: the batch forms' main loop. Adding 0.0 leaves a sum's
  // bits unchanged, so this branch-free form equals TA-Lib's "subtract, then
  // add only when there is a move".
  void add_seeded(double high, double low, double close) noexcept {
    const double up = high - prev_high_;
    const double down = prev_low_ - low;
    const directional_move move = classify_move(up, down);
    const double range = true_range(high, low, prev_close_);
    plus_ = plus_ - plus_ / divisor_ + move.plus;
    minus_ = minus_ - minus_ / divisor_ + move.minus;
    range_ = range_ - range_ / divisor_ + range;
    prev_high_ = high;
    prev_low_ = low;
    prev_close_ = close;
    ++bars_;
  }

  bool ready() const noexcept { return bars_ > period_; }
  std::int64_t bars() const noexcept { return bars_; }
  int period() const noexcept { return period_; }

  // 100 * S(+DM) / S(TR), 0 when S(TR) is TA-Lib-zero.
  double plus_di() const noexcept { return talib_is_zero(range_) ? 0.0 : 100.0 * (plus_ / range_); }
  double minus_di() const noexcept { return talib_is_zero(range_) ? 0.0 : 100.0 * (minus_ / range_); }
  double range_sum() const noexcept { return range_; }
  double plus_sum() const noexcept { return plus_; }
  double minus_sum() const noexcept { return minus_; }

 private:
  int period_;
  double divisor_;
  std::int64_t bars_ = 0;
  double plus_ = 0, minus_ = 0, range_ = 0;
  double prev_high_ = 0, prev_low_ = 0, prev_close_ = 0;
};

}  // namespace vyx::ta::detail
