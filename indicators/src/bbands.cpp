// BBANDS. σ² = mean(d²) − mean(d)² with d = x − anchor, where the anchor is
// re-set to the newest close and both sums rebuilt from the window once every
// `period` bars (O(1) amortised). With the anchor near the window's prices the
// subtraction loses almost nothing, whatever the price scale (1e-8 or 1e5),
// and rounding in the running sums never accumulates over more than `period`
// bars. Batch runs the same state, so both forms give the same bits.
#include "vyx/indicators/bbands.hpp"

#include <cmath>

#include "batch_util.hpp"

namespace vyx::ta {
namespace {

struct sums {
  double anchor, sum, squares;
};

// The window's sums around a new anchor (the newest value), oldest first.
sums rebuild(const double* ring, int period, int oldest, double newest) noexcept {
  sums s{newest, 0, 0};
  for (int k = 0, slot = oldest; k < period; ++k, slot = slot + 1 == period ? 0 : slot + 1) {
    const double d = ring[slot] - newest;
    s.sum += d;
    s.squares += d * d;
  }
  return s;
}

void bands(int period, double up, double down, const sums& s, double* out) noexcept {
  const double mean = s.sum / period;
  double variance = s.squares / period - mean * mean;
  if (variance < 0) variance = 0;  // rounding only; σ² is never negative
  const double sigma = std::sqrt(variance);
  const double middle = s.anchor + mean;
  out[0] = middle + up * sigma;
  out[1] = middle;
  out[2] = middle - down * sigma;
}

}  // namespace

int bbands_lookback(int period, double, double) noexcept { return period - 1; }

status bbands_stream::validate(int period, double up, double down) noexcept {
  const bool finite = std::isfinite(up) && std::isfinite(down);
  return period >= 1 && finite ? status::ok : status::invalid_option;
}

bbands_stream::bbands_stream(int period, double up, double down)
    : period_(period), up_(up), down_(down), ring_(new double[period]()) {}

void bbands_stream::reset() noexcept { pos_ = 0, count_ = 0, anchor_ = sum_ = squares_ = 0; }

void bbands_stream::update(const bar& b, double* out) noexcept {
  const double x = b.close;
  if (count_ == 0) anchor_ = x;
  const double d = x - anchor_;
  sum_ += d;
  squares_ += d * d;
  if (count_ >= period_) {
    const double old = ring_[pos_] - anchor_;
    sum_ -= old;
    squares_ -= old * old;
  }
  ring_[pos_] = x;
  if (++pos_ == period_) pos_ = 0;
  ++count_;
  if (count_ < period_) {
    out[0] = out[1] = out[2] = no_value;
    return;
  }
  if (count_ % period_ == 0) {
    const sums s = rebuild(ring_.get(), period_, pos_, x);
    anchor_ = s.anchor, sum_ = s.sum, squares_ = s.squares;
  }
  bands(period_, up_, down_, sums{anchor_, sum_, squares_}, out);
}

void bbands_stream::preview(const bar& b, double* out) const noexcept {
  if (count_ + 1 < period_) {
    out[0] = out[1] = out[2] = no_value;
    return;
  }
  const double x = b.close;
  if ((count_ + 1) % period_ == 0) {
    // The rebuild would read the window with x in the oldest value's slot.
    sums s{x, 0, 0};
    for (int k = 1, slot = pos_ + 1 == period_ ? 0 : pos_ + 1; k < period_;
         ++k, slot = slot + 1 == period_ ? 0 : slot + 1) {
      const double d = ring_[slot] - x;
      s.sum += d;
      s.squares += d * d;
    }
    const double d = x - x;
    s.sum += d;
    s.squares += d * d;
    bands(period_, up_, down_, s, out);
    return;
  }
  const double a = count_ == 0 ? x : anchor_;
  const double d = x - a;
  sums s{a, sum_ + d, squares_ + d * d};
  if (count_ >= period_) {
    const double old = ring_[pos_] - a;
    s.sum -= old;
    s.squares -= old * old;
  }
  bands(period_, up_, down_, s, out);
}

status bbands(const columns& in, int period, double up, double down, double* upper, double* middle,
              double* lower) noexcept {
  if (in.close == nullptr || upper == nullptr || middle == nullptr || lower == nullptr) return status::invalid_input;
  if (bbands_stream::validate(period, up, down) != status::ok) {
    detail::fill_no_value(upper, 0, in.size);
    detail::fill_no_value(middle, 0, in.size);
    detail::fill_no_value(lower, 0, in.size);
    return status::invalid_option;
  }
  const int lookback = bbands_lookback(period, up, down);
  if (status s = detail::warm_up(in.size, lookback, upper, middle, lower); s != status::ok) return s;
  bbands_stream state(period, up, down);
  double out[3];
  for (std::size_t i = 0; i < in.size; ++i) {
    bar b;
    b.close = in.close[i];
    state.update(b, out);
    if (i >= static_cast<std::size_t>(lookback)) upper[i] = out[0], middle[i] = out[1], lower[i] = out[2];
  }
  return status::ok;
}

}  // namespace vyx::ta
