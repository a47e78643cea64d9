// The descriptor of a sandbox-test plugin, filled in one place: each plugin
// names itself and its filter, and says what differs from the usual.
#pragma once

#include <cstdint>

#include "vyx/abi.h"

namespace vyx::test_plugin {

struct extras {
  vyx_timeframe_mask timeframes = 1u << VYX_TF_1M;
  std::uint32_t history_bars = 0;
  std::uint32_t max_signal_values = 0;
};

constexpr vyx_plugin descriptor(const char* name,
                                vyx_status (*filter)(const vyx_market*, vyx_filter_output*),
                                extras more = {}) {
  return {sizeof(vyx_plugin), VYX_ABI_VERSION,        name, "test", more.timeframes,
          more.history_bars,  more.max_signal_values, 0,    filter, nullptr};
}

}  // namespace vyx::test_plugin

// The plugin's one exported symbol, returning `descriptor` of its file.
#define VYX_TEST_PLUGIN_ENTRY(descriptor)                                                      \
  extern "C" __attribute__((visibility("default"))) const vyx_plugin* vyx_plugin_entry(void) { \
    return &(descriptor);                                                                      \
  }
