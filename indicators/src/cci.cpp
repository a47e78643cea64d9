// CCI. Every price of the window is taken relative to the current TP before
// summing, so a window of identical bars gives exactly 0 (TA-Lib's rounded
// mean gives -66.67 there) and no precision is lost to the price level.
#include "vyx/indicators/cci.hpp"

#include <cmath>

#include "batch_util.hpp"
#include "vyx/indicators/detail/price_math.hpp"

namespace vyx::ta {
namespace {

// CCI of the window `previous[0..count)` (oldest first) followed by `tp`.
// Four accumulators shorten the add chains; batch and streaming both call
// this, so they round identically.
inline double cci_of_window(const double* previous, int count, double tp, double period) noexcept {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int i = 0;
  for (; i + 4 <= count; i += 4) {
    s0 += previous[i] - tp;
    s1 += previous[i + 1] - tp;
    s2 += previous[i + 2] - tp;
    s3 += previous[i + 3] - tp;
  }
  for (; i < count; ++i) s0 += previous[i] - tp;
  // mean of (x - tp) over the window, the current bar contributing 0
  const double offset = ((s0 + s1) + (s2 + s3)) / period;

  double d0 = std::fabs(offset), d1 = 0, d2 = 0, d3 = 0;  // the current bar's |0 - offset|
  i = 0;
  for (; i + 4 <= count; i += 4) {
    d0 += std::fabs(previous[i] - tp - offset);
    d1 += std::fabs(previous[i + 1] - tp - offset);
    d2 += std::fabs(previous[i + 2] - tp - offset);
    d3 += std::fabs(previous[i + 3] - tp - offset);
  }
  for (; i < count; ++i) d0 += std::fabs(previous[i] - tp - offset);
  const double deviation = ((d0 + d1) + (d2 + d3)) / period;

  // TP - mean = -offset. Exactly 0 when either is exactly 0.
  if (offset == 0.0 || deviation == 0.0) return 0.0;
  return -offset / (0.015 * deviation);
}

}  // namespace

int cci_lookback(int period) noexcept {
  return period - 1;
}

status cci_stream::validate(int period) noexcept {
  return period >= 2 && period <= 100000 ? status::ok : status::invalid_option;
}

status cci(const columns& in, int period, double* out) noexcept {
  if (in.size != 0 && (!in.high || !in.low || !in.close || !out)) return status::invalid_input;
  if (cci_stream::validate(period) != status::ok) {
    detail::fill_no_value(out, 0, in.size);
    return status::invalid_option;
  }
  const int lookback = cci_lookback(period);
  if (status s = detail::warm_up(in.size, lookback, out); s != status::ok) return s;
  // `out` first holds the typical prices; walking backwards, each bar's
  // window still reads prices, as only later bars have been overwritten.
  for (std::size_t t = 0; t < in.size; ++t)
    out[t] = detail::typical_price(in.high[t], in.low[t], in.close[t]);
  const std::size_t first = static_cast<std::size_t>(lookback);
  const double divisor = period;
  for (std::size_t t = in.size; t-- > first;)
    out[t] = cci_of_window(out + (t - first), lookback, out[t], divisor);
  detail::fill_no_value(out, 0, first);
  return status::ok;
}

cci_stream::cci_stream(int period)
    : period_(period),
      ring_(std::make_unique<double[]>(2 * static_cast<std::size_t>(period - 1))) {}

cci_stream::cci_stream(const cci_stream& other)
    : period_(other.period_),
      pos_(other.pos_),
      bars_(other.bars_),
      ring_(std::make_unique<double[]>(2 * static_cast<std::size_t>(other.period_ - 1))) {
  for (int i = 0; i < 2 * (period_ - 1); ++i) ring_[i] = other.ring_[i];
}

void cci_stream::reset() noexcept {
  pos_ = 0;
  bars_ = 0;
}

void cci_stream::preview(const bar& b, double* out) const noexcept {
  const double tp = detail::typical_price(b.high, b.low, b.close);
  *out =
      bars_ >= period_ - 1 ? cci_of_window(ring_.get() + pos_, period_ - 1, tp, period_) : no_value;
}

void cci_stream::update(const bar& b, double* out) noexcept {
  const double tp = detail::typical_price(b.high, b.low, b.close);
  const int count = period_ - 1;
  *out = bars_ >= count ? cci_of_window(ring_.get() + pos_, count, tp, period_) : no_value;
  // The new price replaces the oldest: written at pos_ and its mirror, after
  // which the window of the previous `count` prices starts one slot later.
  ring_[pos_] = tp;
  ring_[pos_ + count] = tp;
  if (++pos_ == count) pos_ = 0;
  ++bars_;
}

}  // namespace vyx::ta
