/* Test trader: on every 1m close, matches and reports the market's
 * window_bars, so a test sees the window the host handed to traders. */
#include "vyx/abi.h"

#include <string.h>

static vyx_status window_probe_filter(const vyx_market* market, vyx_filter_output* out) {
  if (market->timeframes[VYX_TF_1M] == NULL) return VYX_ERR_NO_TIMEFRAME;
  out->matched = 1;
  if (out->value_capacity > 0) {
    strcpy(out->values[0].name, "window_bars");
    out->values[0].value = (double)market->window_bars;
    out->value_count = 1;
  }
  return VYX_OK;
}

static const vyx_plugin window_probe_plugin = {
    sizeof(vyx_plugin), VYX_ABI_VERSION, "window_probe", "test", 1u << VYX_TF_1M, 1, 1, 0,
    window_probe_filter, NULL};

__attribute__((visibility("default"))) const vyx_plugin* vyx_plugin_entry(void) {
  return &window_probe_plugin;
}
