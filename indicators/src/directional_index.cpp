// PLUS_DI and MINUS_DI: one side's share of the smoothed true range, in
// percent. The two differ only in which directional sum they divide, so one
// template serves both, batch and streaming.
#include "batch_util.hpp"
#include "vyx/indicators/minus_di.hpp"
#include "vyx/indicators/plus_di.hpp"

namespace vyx::ta {
namespace detail {

// Period 1 is refused: TA-Lib gives it a different formula (no smoothing,
// no factor 100), which nobody asks for.
template <dm_side Side>
status di_stream<Side>::validate(int period) noexcept {
  return period >= 2 && period <= 100000 ? status::ok : status::invalid_option;
}

template <dm_side Side>
void di_stream<Side>::update(const bar& b, double* out) noexcept {
  sums_.add(b.high, b.low, b.close);
  *out = sums_.ready() ? sums_.di() : no_value;
}

template <dm_side Side>
void di_stream<Side>::preview(const bar& b, double* out) const noexcept {
  directional_sums<Side> next = sums_;
  next.add(b.high, b.low, b.close);
  *out = next.ready() ? next.di() : no_value;
}

template class di_stream<dm_side::plus>;
template class di_stream<dm_side::minus>;

}  // namespace detail

namespace {

template <detail::dm_side Side>
status di_batch(const columns& in, int period, double* out) noexcept {
  if (in.size != 0 && (!in.high || !in.low || !in.close || !out)) return status::invalid_input;
  if (detail::di_stream<Side>::validate(period) != status::ok) {
    detail::fill_no_value(out, 0, in.size);
    return status::invalid_option;
  }
  if (status s = detail::warm_up(in.size, period, out); s != status::ok) return s;
  detail::directional_sums<Side> sums(period);
  const std::size_t p = static_cast<std::size_t>(period);
  for (std::size_t t = 0; t < p; ++t) sums.add(in.high[t], in.low[t], in.close[t]);
  for (std::size_t t = p; t < in.size; ++t) {
    sums.add_seeded(in.high[t], in.low[t], in.close[t]);
    out[t] = sums.di();
  }
  return status::ok;
}

}  // namespace

int plus_di_lookback(int period) noexcept {
  return period;
}
int minus_di_lookback(int period) noexcept {
  return period;
}

status plus_di(const columns& in, int period, double* out) noexcept {
  return di_batch<detail::dm_side::plus>(in, period, out);
}

status minus_di(const columns& in, int period, double* out) noexcept {
  return di_batch<detail::dm_side::minus>(in, period, out);
}

}  // namespace vyx::ta
