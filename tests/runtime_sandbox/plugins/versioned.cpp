// A well-behaved trader built as v1 and v2 (VYX_VERSION) for the hot-reload
// test: it matches every symbol and emits its version number.
#include <cstring>

#include "vyx/abi.h"

namespace {

vyx_status filter(const vyx_market* m, vyx_filter_output* out) {
  out->matched = 1;
  if (out->value_capacity > 0) {
    vyx_signal_value& v = out->values[out->value_count++];
    std::memset(v.name, 0, sizeof v.name);
    std::strcpy(v.name, "version");
    v.value = VYX_VERSION;
  }
  (void)m;
  return VYX_OK;
}

constexpr vyx_plugin descriptor = {sizeof(vyx_plugin),
                                   VYX_ABI_VERSION,
                                   "versioned",
                                   "test",
                                   1u << VYX_TF_1M,
                                   0,
                                   1,
                                   0,
                                   &filter,
                                   nullptr};

}  // namespace

extern "C" __attribute__((visibility("default"))) const vyx_plugin* vyx_plugin_entry(void) {
  return &descriptor;
}
