// Wilder's running sums of +DM, -DM and true range, shared by PLUS_DI,
// MINUS_DI and ADX so all three fold bars in exactly the same way.
#pragma once

#include <cstdint>

#include "vyx/indicators/core.hpp"
#include "vyx/indicators/detail/double_pair.hpp"
#include "vyx/indicators/detail/price_math.hpp"

namespace vyx::ta::detail {

// {+DM, -DM} of one bar from its up move (high - previous high) and down
// move (previous low - low): the larger move counts if it is positive, equal
// moves (and NaN) count for neither. Masks, not branches: up and down win at
// random, and mispredictions would dominate the cost of a bar.
inline double_pair directional_moves(double up, double down) noexcept {
  const double_pair moves{up, down};
  const double_pair other{down, up};
  const mask_pair wins = (moves > other) & (moves > double_pair{0.0, 0.0});
  return reinterpret_cast<double_pair>(reinterpret_cast<mask_pair>(moves) & wins);
}

// Which sums a directional_sums keeps: one side's DM and the true range
// (PLUS_DI, MINUS_DI), or both sides and the true range (ADX).
enum class dm_side { plus, minus, both };

// TA-Lib seeds the sums with plain sums over bars 1..period-1 (period-1
// bars, not period) and folds in every later bar as S = S - S/period + x.
// The sums are complete, and DI defined, from bar `period` on.
template <dm_side Side>
class directional_sums {
 public:
  explicit directional_sums(int period) noexcept : period_(period), divisor_(period) {}

  void reset() noexcept {
    bars_ = 0;
    sums_ = double_pair{0, 0};
    range_ = 0;
  }

  // Folds in the next bar.
  void add(double high, double low, double close) noexcept {
    if (bars_ >= period_) return add_seeded(high, low, close);
    if (bars_ != 0) {
      const step s = step_of(high, low);
      sums_ += s.sums;
      range_ += s.range;
    }
    remember(high, low, close);
  }

  // add() for a bar once the sums are seeded (bars() >= period), without the
  // warm-up branches: the batch forms' main loop. Adding 0.0 (no move) leaves
  // a sum's bits unchanged, so this branch-free form equals TA-Lib's
  // "subtract, then add only when there is a move".
  void add_seeded(double high, double low, double close) noexcept {
    const step s = step_of(high, low);
    // Both sums' divisions in one instruction: fewer divider slots per bar.
    const double_pair d{divisor_, divisor_};
    sums_ = sums_ - sums_ / d + s.sums;
    if constexpr (Side == dm_side::both) range_ = range_ - range_ / divisor_ + s.range;
    remember(high, low, close);
  }

  bool ready() const noexcept { return bars_ > period_; }
  std::int64_t bars() const noexcept { return bars_; }
  int period() const noexcept { return period_; }

  // The smoothed true range.
  double range_sum() const noexcept {
    if constexpr (Side == dm_side::both)
      return range_;
    else
      return sums_[1];
  }

  // PLUS_DI / MINUS_DI: 100 * S(DM) / S(TR), 0 when S(TR) is TA-Lib-zero.
  double di() const noexcept requires(Side != dm_side::both) {
    const double range = sums_[1];
    return talib_is_zero(range) ? 0.0 : 100.0 * (sums_[0] / range);
  }

  // ADX: {+DI, -DI} (both divisions in one instruction); the caller checks
  // range_sum() for TA-Lib-zero first.
  double_pair both_di() const noexcept requires(Side == dm_side::both) {
    const double_pair range{range_, range_};
    return double_pair{100.0, 100.0} * (sums_ / range);
  }

 private:
  struct step {
    double_pair sums;  // lanes as in sums_
    double range;      // true range (ADX only; else in sums)
  };

  step step_of(double high, double low) const noexcept {
    const double_pair moves = directional_moves(high - prev_high_, prev_low_ - low);
    const double range = true_range(high, low, prev_close_);
    if constexpr (Side == dm_side::plus)
      return step{double_pair{moves[0], range}, 0};
    else if constexpr (Side == dm_side::minus)
      return step{double_pair{moves[1], range}, 0};
    else
      return step{moves, range};
  }

  void remember(double high, double low, double close) noexcept {
    prev_high_ = high;
    prev_low_ = low;
    prev_close_ = close;
    ++bars_;
  }

  // plus / minus: {S(DM), S(TR)}; both: {S(+DM), S(-DM)}, S(TR) in range_.
  double_pair sums_{0, 0};
  double range_ = 0;
  int period_;
  double divisor_;
  std::int64_t bars_ = 0;
  double prev_high_ = 0, prev_low_ = 0, prev_close_ = 0;
};

// PLUS_DI (Side plus) and MINUS_DI (Side minus) streaming: the public
// plus_di_stream and minus_di_stream. Members are defined, and both sides
// instantiated, in src/directional_index.cpp.
template <dm_side Side>
class di_stream {
  static_assert(Side != dm_side::both);

 public:
  static constexpr int output_count = 1;
  static status validate(int period) noexcept;
  explicit di_stream(int period) noexcept : sums_(period) {}
  int lookback() const noexcept { return sums_.period(); }
  void update(const bar& b, double* out) noexcept;
  void preview(const bar& b, double* out) const noexcept;
  void reset() noexcept { sums_.reset(); }

 private:
  directional_sums<Side> sums_;
};

extern template class di_stream<dm_side::plus>;
extern template class di_stream<dm_side::minus>;

}  // namespace vyx::ta::detail
