// MINUS_DI: minus directional indicator, 100 * S(-DM) / S(TR) over Wilder
// sums seeded from bars 1..period-1 (TA-Lib's). First value at bar `period`.
#pragma once

#include "vyx/indicators/core.hpp"
#include "vyx/indicators/detail/directional_movement.hpp"

namespace vyx::ta {

int minus_di_lookback(int period) noexcept;

status minus_di(const columns& in, int period, double* out) noexcept;

using minus_di_stream = detail::di_stream<detail::dm_side::minus>;

}  // namespace vyx::ta
