// Timeframe names and lengths.
#include "vyx/runtime/timeframe.hpp"

#include <array>

namespace vyx::runtime {
namespace {

struct timeframe_info {
  const char* name;
  std::int64_t ms;
};
constexpr std::array<timeframe_info, VYX_TIMEFRAME_COUNT> timeframes{{{"1m", 60'000},
                                                                      {"5m", 300'000},
                                                                      {"15m", 900'000},
                                                                      {"1h", 3'600'000},
                                                                      {"4h", 14'400'000},
                                                                      {"1d", 86'400'000}}};

}  // namespace

std::optional<vyx_timeframe> parse_timeframe(std::string_view name) {
  for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf)
    if (name == timeframes[tf].name) return tf;
  return std::nullopt;
}

const char* timeframe_name(vyx_timeframe timeframe) {
  return timeframe < VYX_TIMEFRAME_COUNT ? timeframes[timeframe].name : "?";
}

std::int64_t timeframe_ms(vyx_timeframe timeframe) {
  return timeframe < VYX_TIMEFRAME_COUNT ? timeframes[timeframe].ms : 0;
}

std::string timeframe_list(vyx_timeframe_mask mask) {
  std::string out;
  for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf) {
    if (!(mask & (1u << tf))) continue;
    if (!out.empty()) out += ',';
    out += timeframes[tf].name;
  }
  return out;
}

}  // namespace vyx::runtime
