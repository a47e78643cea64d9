// ROC: rate of change in percent, 100 * (close / close[t - period] - 1); 0 when
// the old close is 0. First value at bar `period`.
#pragma once

#include "vyx/indicators/core.hpp"
#include "vyx/indicators/detail/lagged_change.hpp"

namespace vyx::ta {

int roc_lookback(int period) noexcept;

status roc(const columns& in, int period, double* out) noexcept;

using roc_stream = detail::lagged_change_stream<detail::rate_of_change>;

}  // namespace vyx::ta
