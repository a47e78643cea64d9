// A plugin built against a future ABI version: the loader must refuse it
// before calling filter, naming both versions.
#include "vyx/abi.h"

namespace {

vyx_status filter(const vyx_market*, vyx_filter_output* out) {
  out->matched = 1;
  return VYX_OK;
}

constexpr vyx_plugin descriptor = {
    sizeof(vyx_plugin), 999u, "abi_mismatch", "test", 1u << VYX_TF_1M, 0, 0, 0, &filter, nullptr};

}  // namespace

extern "C" __attribute__((visibility("default"))) const vyx_plugin* vyx_plugin_entry(void) {
  return &descriptor;
}
