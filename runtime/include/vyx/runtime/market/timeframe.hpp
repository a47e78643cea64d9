// Timeframe names and lengths ("1m" <-> VYX_TF_1M <-> 60000 ms), the one
// place that maps between the ABI's ids and what files and users write.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vyx/abi.h"

namespace vyx::runtime {

std::optional<vyx_timeframe> parse_timeframe(
    std::string_view name);                           // "1m", "5m", "15m", "1h", "4h", "1d"
const char* timeframe_name(vyx_timeframe timeframe);  // "?" when unknown
std::int64_t timeframe_ms(vyx_timeframe timeframe);   // 0 when unknown
std::string timeframe_list(vyx_timeframe_mask mask);  // "5m,1h"

}  // namespace vyx::runtime
