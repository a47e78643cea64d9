// The host's half of the platform's output contract for a trader's
// seriesCode: every filter.indicators[].id must be the name of a series, or
// the platform drops the whole output (the signal is still saved). The
// plugin applies the other half (vyx/sdk/go/series_output.hpp); only the
// host knows the filter's indicators.
#pragma once

#include <string>
#include <vector>

#include "vyx/runtime/evaluation/results.hpp"

namespace vyx::runtime {

// True when every id names a series of `plot` (always true without ids).
// A caller storing a signal's series drops them all when this is false.
bool platform_series_complete(const plot_result& plot, const std::vector<std::string>& ids);

}  // namespace vyx::runtime
