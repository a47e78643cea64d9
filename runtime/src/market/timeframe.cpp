// Timeframe names and lengths.
#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime {
namespace {

struct timeframe_info {
  const char* name;
  std::int64_t ms;
};
#define VYX_TIMEFRAME_ENTRY(id, name, ms) {name, ms},
constexpr timeframe_info timeframes[VYX_TIMEFRAME_COUNT] = {VYX_TIMEFRAMES(VYX_TIMEFRAME_ENTRY)};
#undef VYX_TIMEFRAME_ENTRY
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
