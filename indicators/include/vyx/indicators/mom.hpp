// MOM: momentum, close - close[t - period], in price units. First value at
// bar `period`.
#pragma once

#include "vyx/indicators/core.hpp"
#include "vyx/indicators/detail/lagged_change.hpp"

namespace vyx::ta {

int mom_lookback(int period) noexcept;

status mom(const columns& in, int period, double* out) noexcept;

using mom_stream = detail::lagged_change_stream<detail::momentum>;

}  // namespace vyx::ta
