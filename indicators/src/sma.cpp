// SMA: a running sum of the window; once the window is full each bar adds
// (newest - oldest), in the same order in batch and streaming so both give
// the same bits.
#include "vyx/indicators/sma.hpp"

#include "batch_util.hpp"

namespace vyx::ta {

int sma_lookback(int period) noexcept {
  return period - 1;
}

status sma_stream::validate(int period) noexcept {
  return period >= 1 ? status::ok : status::invalid_option;
}

status sma_of(const double* x, std::size_t size, int period, double* out) noexcept {
  if (x == nullptr || out == nullptr) return status::invalid_input;
  if (sma_stream::validate(period) != status::ok) {
    detail::fill_no_value(out, 0, size);
    return status::invalid_option;
  }
  const int lookback = sma_lookback(period);
  if (status s = detail::warm_up(size, lookback, out); s != status::ok) return s;

  const std::size_t p = static_cast<std::size_t>(period);
  double sum = 0;
  for (std::size_t i = 0; i < p; ++i) sum += x[i];
  out[p - 1] = sum / period;
  // One add per bar on the loop-carried chain: the change of the window is
  // formed off the chain (and is exactly 0 on a flat stretch).
  for (std::size_t i = p; i < size; ++i) {
    sum += x[i] - x[i - p];
    out[i] = sum / period;
  }
  return status::ok;
}

status sma(const columns& in, int period, double* out) noexcept {
  return sma_of(in.close, in.size, period, out);
}

sma_stream::sma_stream(int period) : period_(period), ring_(new double[period]()) {}

void sma_stream::reset() noexcept {
  pos_ = 0;
  count_ = 0;
  sum_ = 0;
  for (int i = 0; i < period_; ++i) ring_[i] = 0;
}

double sma_stream::push(double x) noexcept {
  sum_ = next_sum(x);
  ring_[pos_] = x;
  if (++pos_ == period_) pos_ = 0;
  if (++count_ < period_) return no_value;
  return sum_ / period_;
}

double sma_stream::peek(double x) const noexcept {
  if (count_ + 1 < period_) return no_value;
  return next_sum(x) / period_;
}

}  // namespace vyx::ta
