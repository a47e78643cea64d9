// TRANGE: max(high - low, |high - prev close|, |low - prev close|).
#include "vyx/indicators/trange.hpp"

#include "batch_util.hpp"
#include "vyx/indicators/detail/price_math.hpp"

namespace vyx::ta {

int trange_lookback() noexcept {
  return 1;
}

status trange(const columns& in, double* out) noexcept {
  if (in.size != 0 && (!in.high || !in.low || !in.close || !out)) return status::invalid_input;
  if (status s = detail::warm_up(in.size, trange_lookback(), out); s != status::ok) return s;
  const double* high = in.high;
  const double* low = in.low;
  const double* close = in.close;
  // Unrolled (two vector iterations per pass): the loop is short enough that
  // its own counter and branch, and where the link puts it against a
  // 64-byte line, showed in its time.
#pragma GCC unroll 4
  for (std::size_t t = 1; t < in.size; ++t)
    out[t] = detail::true_range(high[t], low[t], close[t - 1]);
  return status::ok;
}

void trange_stream::update(const bar& b, double* out) noexcept {
  preview(b, out);
  started_ = true;
  prev_close_ = b.close;
}

void trange_stream::preview(const bar& b, double* out) const noexcept {
  *out = started_ ? detail::true_range(b.high, b.low, prev_close_) : no_value;
}

}  // namespace vyx::ta
