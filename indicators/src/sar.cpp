// Parabolic SAR. Bar 1 picks the side: short if its -DM is positive (the low
// fell more than the high rose), else long. Each bar then either flips (the
// stop was hit) or reports the stop and advances it toward the extreme point,
// never into the range of the last two bars.
#include "vyx/indicators/sar.hpp"

#include <cmath>

#include "batch_util.hpp"

namespace vyx::ta {
namespace {

using state = sar_stream::state;

// TA-Lib lowers the step to the cap when it starts above it.
inline double first_factor(double acceleration, double maximum) noexcept {
  return acceleration > maximum ? maximum : acceleration;
}

inline state start(double high0, double low0, double high1, double low1, double factor) noexcept {
  const double up = high1 - high0;
  const double down = low0 - low1;
  const bool is_short = down > 0 && down > up;
  if (is_short) return state{false, high0, low1, factor, high1, low1};
  return state{true, low0, high1, factor, high1, low1};
}

// The four moves of the recursion. Each takes the bar's high and low,
// updates `s` and returns the bar's SAR; step() picks one per bar.

// Long and the low stays above the stop: report it, then move it up toward
// the extreme point, never above the lows of this bar and the one before.
inline double hold_long(state& s, double high, double low, double acceleration,
                        double maximum) noexcept {
  const double prev_low = s.prev_low;
  s.prev_high = high;
  s.prev_low = low;
  const double value = s.sar;
  if (high > s.extreme) {
    s.extreme = high;
    s.factor += acceleration;
    if (s.factor > maximum) s.factor = maximum;
  }
  double next = value + s.factor * (s.extreme - value);
  if (next > prev_low) next = prev_low;
  if (next > low) next = low;
  s.sar = next;
  return value;
}

inline double hold_short(state& s, double high, double low, double acceleration,
                         double maximum) noexcept {
  const double prev_high = s.prev_high;
  s.prev_high = high;
  s.prev_low = low;
  const double value = s.sar;
  if (low < s.extreme) {
    s.extreme = low;
    s.factor += acceleration;
    if (s.factor > maximum) s.factor = maximum;
  }
  double next = value + s.factor * (s.extreme - value);
  if (next < prev_high) next = prev_high;
  if (next < high) next = high;
  s.sar = next;
  return value;
}

// The low reached the stop: flip to short. The bar's SAR is the old extreme
// raised, if needed, to the highs of this bar and the one before.
inline double flip_to_short(state& s, double high, double low, double acceleration) noexcept {
  const double prev_high = s.prev_high;
  s.prev_high = high;
  s.prev_low = low;
  s.is_long = false;
  double value = s.extreme;
  if (value < prev_high) value = prev_high;
  if (value < high) value = high;
  s.factor = acceleration;
  s.extreme = low;
  double next = value + s.factor * (s.extreme - value);
  if (next < prev_high) next = prev_high;
  if (next < high) next = high;
  s.sar = next;
  return value;
}

inline double flip_to_long(state& s, double high, double low, double acceleration) noexcept {
  const double prev_low = s.prev_low;
  s.prev_high = high;
  s.prev_low = low;
  s.is_long = true;
  double value = s.extreme;
  if (value > prev_low) value = prev_low;
  if (value > low) value = low;
  s.factor = acceleration;
  s.extreme = high;
  double next = value + s.factor * (s.extreme - value);
  if (next > prev_low) next = prev_low;
  if (next > low) next = low;
  s.sar = next;
  return value;
}

// One bar of the recursion (`acceleration` already capped at `maximum`).
inline double step(state& s, double high, double low, double acceleration,
                   double maximum) noexcept {
  if (s.is_long) {
    return low <= s.sar ? flip_to_short(s, high, low, acceleration)
                        : hold_long(s, high, low, acceleration, maximum);
  }
  return high >= s.sar ? flip_to_long(s, high, low, acceleration)
                       : hold_short(s, high, low, acceleration, maximum);
}

}  // namespace

int sar_lookback(double, double) noexcept {
  return 1;
}

status sar_stream::validate(double acceleration, double maximum) noexcept {
  const bool ok =
      std::isfinite(acceleration) && std::isfinite(maximum) && acceleration >= 0 && maximum >= 0;
  return ok ? status::ok : status::invalid_option;
}

status sar(const columns& in, double acceleration, double maximum, double* out) noexcept {
  if (in.size != 0 && (!in.high || !in.low || !out)) return status::invalid_input;
  if (sar_stream::validate(acceleration, maximum) != status::ok) {
    detail::fill_no_value(out, 0, in.size);
    return status::invalid_option;
  }
  if (status s = detail::warm_up(in.size, sar_lookback(acceleration, maximum), out);
      s != status::ok)
    return s;
  const double* high = in.high;
  const double* low = in.low;
  const double step_size = first_factor(acceleration, maximum);
  state s = start(high[0], low[0], high[1], low[1], step_size);
  // The same moves as step(), with the side tested once per run of bars
  // rather than on every bar.
  const std::size_t n = in.size;
  std::size_t t = 1;
  while (t < n) {
    if (s.is_long) {
      for (; t < n && !(low[t] <= s.sar); ++t)
        out[t] = hold_long(s, high[t], low[t], step_size, maximum);
      if (t < n) {
        out[t] = flip_to_short(s, high[t], low[t], step_size);
        ++t;
      }
    } else {
      for (; t < n && !(high[t] >= s.sar); ++t)
        out[t] = hold_short(s, high[t], low[t], step_size, maximum);
      if (t < n) {
        out[t] = flip_to_long(s, high[t], low[t], step_size);
        ++t;
      }
    }
  }
  return status::ok;
}

sar_stream::sar_stream(double acceleration, double maximum) noexcept
    : acceleration_(first_factor(acceleration, maximum)), maximum_(maximum) {}

void sar_stream::update(const bar& b, double* out) noexcept {
  const std::int64_t t = bars_++;
  if (t == 0) {
    first_high_ = b.high;
    first_low_ = b.low;
    *out = no_value;
    return;
  }
  if (t == 1) state_ = start(first_high_, first_low_, b.high, b.low, acceleration_);
  *out = step(state_, b.high, b.low, acceleration_, maximum_);
}

void sar_stream::preview(const bar& b, double* out) const noexcept {
  if (bars_ == 0) {
    *out = no_value;
    return;
  }
  state s = bars_ == 1 ? start(first_high_, first_low_, b.high, b.low, acceleration_) : state_;
  *out = step(s, b.high, b.low, acceleration_, maximum_);
}

}  // namespace vyx::ta
