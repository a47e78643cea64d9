// AROON over O(1) window extremes (blocks in batch, extreme_window when
// streaming) that keep the newest index on ties; the value is
// (100 / period) * (period - age), TA-Lib's rounding.
#include "vyx/indicators/aroon.hpp"

#include "batch_util.hpp"
#include "block_extremes.hpp"

namespace vyx::ta {
namespace {

inline double recency(double factor, int period, std::int64_t today,
                      std::int64_t extreme_index) noexcept {
  return factor * static_cast<double>(period - (today - extreme_index));
}

}  // namespace

int aroon_lookback(int period) noexcept {
  return period;
}

status aroon_stream::validate(int period) noexcept {
  return period >= 2 && period <= 100000 ? status::ok : status::invalid_option;
}

status aroon(const columns& in, int period, double* down, double* up) noexcept {
  if (in.size != 0 && (!in.high || !in.low || !down || !up)) return status::invalid_input;
  if (aroon_stream::validate(period) != status::ok) {
    detail::fill_no_value(down, 0, in.size);
    detail::fill_no_value(up, 0, in.size);
    return status::invalid_option;
  }
  if (status s = detail::warm_up(in.size, aroon_lookback(period), down, up); s != status::ok)
    return s;
  const double factor = 100.0 / static_cast<double>(period);
  const std::size_t length = static_cast<std::size_t>(period) + 1;
  detail::extreme_scratch scratch(length);
  detail::for_each_window_extreme<true>(
      in.high, in.size, length, scratch.get(), [&](std::size_t t, const detail::indexed_value& e) {
        up[t] = recency(factor, period, static_cast<std::int64_t>(t), e.index);
      });
  detail::for_each_window_extreme<false>(
      in.low, in.size, length, scratch.get(), [&](std::size_t t, const detail::indexed_value& e) {
        down[t] = recency(factor, period, static_cast<std::int64_t>(t), e.index);
      });
  return status::ok;
}

aroon_stream::aroon_stream(int period)
    : period_(period),
      factor_(100.0 / static_cast<double>(period)),
      highest_(period + 1),
      lowest_(period + 1) {}

void aroon_stream::reset() noexcept {
  bars_ = 0;
  highest_.reset();
  lowest_.reset();
}

void aroon_stream::update(const bar& b, double* out) noexcept {
  const std::int64_t t = bars_++;
  highest_.push(b.high);
  lowest_.push(b.low);
  if (t < period_) {
    out[0] = out[1] = no_value;
    return;
  }
  out[0] = recency(factor_, period_, t, lowest_.extreme_index());
  out[1] = recency(factor_, period_, t, highest_.extreme_index());
}

void aroon_stream::preview(const bar& b, double* out) const noexcept {
  const std::int64_t t = bars_;
  if (t < period_) {
    out[0] = out[1] = no_value;
    return;
  }
  out[0] = recency(factor_, period_, t, lowest_.peek_index(b.low));
  out[1] = recency(factor_, period_, t, highest_.peek_index(b.high));
}

}  // namespace vyx::ta
