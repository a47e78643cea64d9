// The ATR recursion over a whole series, shared by the ATR and NATR batch
// forms so that NATR normalises in the same pass (and the same bits).
#pragma once

#include <cstddef>

#include "vyx/indicators/core.hpp"
#include "vyx/indicators/detail/price_math.hpp"

namespace vyx::ta::detail {

// Calls emit(t, atr) for t in [period, in.size); needs in.size > period.
// The first value is the plain mean of the true ranges of bars 1..period,
// then ((atr * (period-1)) + tr) / period, TA-Lib's exact rounding.
template <class Emit>
void for_each_atr(const columns& in, int period, Emit&& emit) noexcept {
  const double* high = in.high;
  const double* low = in.low;
  const double* close = in.close;
  const std::size_t p = static_cast<std::size_t>(period);
  const double divisor = period;
  const double keep = period - 1;
  double sum = 0;
  for (std::size_t t = 1; t <= p; ++t) sum += true_range(high[t], low[t], close[t - 1]);
  double value = sum / divisor;
  emit(p, value);
  for (std::size_t t = p + 1; t < in.size; ++t) {
    value = (value * keep + true_range(high[t], low[t], close[t - 1])) / divisor;
    emit(t, value);
  }
}

}  // namespace vyx::ta::detail
