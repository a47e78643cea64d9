// ADX: DX from the directional sums, summed over its first `period` bars and
// then Wilder-smoothed as ((adx * (period-1)) + dx) / period. Like TA-Lib, a
// bar whose DX is undefined (zero true range, or +DI + -DI zero) leaves the
// ADX unchanged rather than smoothing a 0 in.
#include "vyx/indicators/adx.hpp"

#include <cmath>

#include "batch_util.hpp"

namespace vyx::ta {
namespace {

using sums_type = detail::directional_sums<detail::dm_side::both>;

// DX of the current sums; false when TA-Lib has none.
inline bool directional_index(const sums_type& s, double& dx) noexcept {
  if (detail::talib_is_zero(s.range_sum())) return false;
  const detail::double_pair di = s.both_di();  // {+DI, -DI}
  const double plus = di[0], minus = di[1];
  const double total = minus + plus;
  if (detail::talib_is_zero(total)) return false;
  dx = 100.0 * (std::fabs(minus - plus) / total);
  return true;
}

// Folds in one bar whose sums are complete (bar >= period). `value` is the
// DX sum up to bar 2*period-1, where it becomes the first ADX.
inline double fold(const sums_type& s, double value, double divisor, double keep) noexcept {
  const std::int64_t bar = s.bars() - 1;
  const std::int64_t first_adx = 2 * static_cast<std::int64_t>(s.period()) - 1;
  double dx;
  const bool has_dx = directional_index(s, dx);
  if (bar < first_adx) return has_dx ? value + dx : value;
  if (bar == first_adx) return (has_dx ? value + dx : value) / divisor;
  return has_dx ? (value * keep + dx) / divisor : value;
}

}  // namespace

int adx_lookback(int period) noexcept {
  return 2 * period - 1;
}

status adx_stream::validate(int period) noexcept {
  return period >= 2 && period <= 100000 ? status::ok : status::invalid_option;
}

status adx(const columns& in, int period, double* out) noexcept {
  if (in.size != 0 && (!in.high || !in.low || !in.close || !out)) return status::invalid_input;
  if (adx_stream::validate(period) != status::ok) {
    detail::fill_no_value(out, 0, in.size);
    return status::invalid_option;
  }
  const int lookback = adx_lookback(period);
  if (status s = detail::warm_up(in.size, lookback, out); s != status::ok) return s;
  sums_type sums(period);
  const double divisor = period;
  const double keep = period - 1;
  const std::size_t p = static_cast<std::size_t>(period);
  const std::size_t first = static_cast<std::size_t>(lookback);
  for (std::size_t t = 0; t < p; ++t) sums.add(in.high[t], in.low[t], in.close[t]);
  double value = 0;
  for (std::size_t t = p; t <= first; ++t) {
    sums.add(in.high[t], in.low[t], in.close[t]);
    value = fold(sums, value, divisor, keep);
  }
  out[first] = value;
  for (std::size_t t = first + 1; t < in.size; ++t) {
    sums.add_seeded(in.high[t], in.low[t], in.close[t]);
    double dx;
    if (directional_index(sums, dx)) value = (value * keep + dx) / divisor;
    out[t] = value;
  }
  return status::ok;
}

adx_stream::adx_stream(int period) noexcept : sums_(period), divisor_(period), keep_(period - 1) {}

void adx_stream::reset() noexcept {
  sums_.reset();
  value_ = 0;
}

void adx_stream::update(const bar& b, double* out) noexcept {
  sums_.add(b.high, b.low, b.close);
  if (!sums_.ready()) {
    *out = no_value;
    return;
  }
  value_ = fold(sums_, value_, divisor_, keep_);
  *out = sums_.bars() > lookback() ? value_ : no_value;
}

void adx_stream::preview(const bar& b, double* out) const noexcept {
  sums_type next = sums_;
  next.add(b.high, b.low, b.close);
  if (!next.ready() || next.bars() <= lookback()) {
    *out = no_value;
    return;
  }
  *out = fold(next, value_, divisor_, keep_);
}

}  // namespace vyx::ta
