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

// Advances `s` over a bar and returns the bar's SAR.
inline double step(state& s, double high, double low, double acceleration, double maximum) noexcept {
  const double prev_high = s.prev_high;
  const double prev_low = s.prev_low;
  s.prev_high = high;
  s.prev_low = low;
  double value;
  if (s.is_long) {
    if (low <= s.sar) {
      // Flip to short: the bar's SAR is the old extreme, at least the two highs.
      s.is_long = false;
      value = s.extreme;
      if (value < prev_high) value = prev_high;
      if (value < high) value = high;
      s.factor = first_factor(acceleration, maximum);
      s.extreme = low;
      double next = value + s.factor * (s.extreme - value);
      if (next < prev_high) next = prev_high;
      if (next < high) next = high;
      s.sar = next;
      return value;
    }
    value = s.sar;
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
  if (high >= s.sar) {
    // Flip to long: the bar's SAR is the old extreme, at most the two lows.
    s.is_long = true;
    value = s.extreme;
    if (value > prev_low) value = prev_low;
    if (value > low) value = low;
    s.factor = first_factor(acceleration, maximum);
    s.extreme = high;
    double next = value + s.factor * (s.extreme - value);
    if (next > prev_low) next = prev_low;
    if (next > low) next = low;
    s.sar = next;
    return value;
  }
  value = s.sar;
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

}  // namespace

int sar_lookback(double, double) noexcept { return 1; }

status sar_stream::validate(double acceleration, double maximum) noexcept {
  const bool ok = std::isfinite(acceleration) && std::isfinite(maximum) && acceleration >= 0 && maximum >= 0;
  return ok ? status::ok : status::invalid_option;
}

status sar(const columns& in, double acceleration, double maximum, double* out) noexcept {
  if (in.size != 0 && (!in.high || !in.low || !out)) return status::invalid_input;
  if (sar_stream::validate(acceleration, maximum) != status::ok) {
    detail::fill_no_value(out, 0, in.size);
    return status::invalid_option;
  }
  if (status s = detail::warm_up(in.size, sar_lookback(acceleration, maximum), out); s != status::ok) return s;
  const double* high = in.high;
  const double* low = in.low;
  const double step_size = first_factor(acceleration, maximum);
  state s = start(high[0], low[0], high[1], low[1], step_size);
  for (std::size_t t = 1; t < in.size; ++t) out[t] = step(s, high[t], low[t], step_size, maximum);
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
