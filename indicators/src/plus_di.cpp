// PLUS_DI: the upward share of the smoothed true range, in percent.
#include "vyx/indicators/plus_di.hpp"

#include "batch_util.hpp"

namespace vyx::ta {

int plus_di_lookback(int period) noexcept { return period; }

// Period 1 is refused: TA-Lib gives it a different formula (no smoothing,
// no factor 100), which nobody asks for.
status plus_di_stream::validate(int period) noexcept {
  return period >= 2 && period <= 100000 ? status::ok : status::invalid_option;
}

status plus_di(const columns& in, int period, double* out) noexcept {
  if (in.size != 0 && (!in.high || !in.low || !in.close || !out)) return status::invalid_input;
  if (plus_di_stream::validate(period) != status::ok) {
    detail::fill_no_value(out, 0, in.size);
    return status::invalid_option;
  }
  if (status s = detail::warm_up(in.size, plus_di_lookback(period), out); s != status::ok) return s;
  detail::directional_sums<detail::dm_side::plus> sums(period);
  const std::size_t p = static_cast<std::size_t>(period);
  for (std::size_t t = 0; t < p; ++t) sums.add(in.high[t], in.low[t], in.close[t]);
  for (std::size_t t = p; t < in.size; ++t) {
    sums.add_seeded(in.high[t], in.low[t], in.close[t]);
    out[t] = sums.di();
  }
  return status::ok;
}

void plus_di_stream::update(const bar& b, double* out) noexcept {
  sums_.add(b.high, b.low, b.close);
  *out = sums_.ready() ? sums_.di() : no_value;
}

void plus_di_stream::preview(const bar& b, double* out) const noexcept {
  auto next = sums_;
  next.add(b.high, b.low, b.close);
  *out = next.ready() ? next.di() : no_value;
}

}  // namespace vyx::ta
