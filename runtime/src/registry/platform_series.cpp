// Whether a trader's series keep the platform's indicator-id contract.
#include "vyx/runtime/registry/platform_series.hpp"

#include <algorithm>

namespace vyx::runtime {

bool platform_series_complete(const plot_result& plot, const std::vector<std::string>& ids) {
  return std::all_of(ids.begin(), ids.end(), [&](const std::string& id) {
    return std::any_of(plot.series.begin(), plot.series.end(),
                       [&](const struct plot_result::series& s) { return s.name == id; });
  });
}

}  // namespace vyx::runtime
