// MOM: the difference between the close and the close `period` bars ago.
#include "vyx/indicators/mom.hpp"

#include "batch_util.hpp"
#include "vyx/indicators/detail/double_pair.hpp"

namespace vyx::ta {
namespace {

// out[t] = x[t] - x[t - 2K] for t in [2K, n), as far as whole blocks of 2K
// bars go; returns where it stopped. The previous block stays in registers,
// so each close is loaded once, not twice: the plain loop is bound by its
// loads and store (three memory operations per pair of bars, against two).
template <std::size_t K>
std::size_t momentum_blocks(const double* x, std::size_t n, double* out) noexcept {
  constexpr std::size_t period = 2 * K;
  detail::double_pair previous[K];
#pragma GCC unroll 8
  for (std::size_t k = 0; k < K; ++k) previous[k] = detail::load_pair(x + 2 * k);
  std::size_t t = period;
  for (; t + period <= n; t += period) {
#pragma GCC unroll 8
    for (std::size_t k = 0; k < K; ++k) {
      const detail::double_pair now = detail::load_pair(x + t + 2 * k);
      detail::store_pair(out + t + 2 * k, now - previous[k]);
      previous[k] = now;
    }
  }
  return t;
}

// The blocked form for even periods up to 16 (8 register pairs); others start
// the plain loop at `period`.
std::size_t momentum_fast(const double* x, std::size_t n, std::size_t period,
                          double* out) noexcept {
  switch (period) {
    case 2:
      return momentum_blocks<1>(x, n, out);
    case 4:
      return momentum_blocks<2>(x, n, out);
    case 6:
      return momentum_blocks<3>(x, n, out);
    case 8:
      return momentum_blocks<4>(x, n, out);
    case 10:
      return momentum_blocks<5>(x, n, out);
    case 12:
      return momentum_blocks<6>(x, n, out);
    case 14:
      return momentum_blocks<7>(x, n, out);
    case 16:
      return momentum_blocks<8>(x, n, out);
    default:
      return period;
  }
}

}  // namespace

int mom_lookback(int period) noexcept {
  return period;
}

status mom(const columns& in, int period, double* out) noexcept {
  if (in.size != 0 && (!in.close || !out)) return status::invalid_input;
  if (mom_stream::validate(period) != status::ok) {
    detail::fill_no_value(out, 0, in.size);
    return status::invalid_option;
  }
  if (status s = detail::warm_up(in.size, mom_lookback(period), out); s != status::ok) return s;
  const double* close = in.close;
  const std::size_t p = static_cast<std::size_t>(period);
  for (std::size_t t = momentum_fast(close, in.size, p, out); t < in.size; ++t)
    out[t] = detail::momentum(close[t], close[t - p]);
  return status::ok;
}

}  // namespace vyx::ta
