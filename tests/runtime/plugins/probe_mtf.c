/* Test trader: needs 5m and 1h, always matches, and reports what it saw of
 * both timeframes so a test can prove there is no lookahead. */
#include "vyx/abi.h"

#include <string.h>

static void put(vyx_filter_output* out, const char* name, double value) {
  if (out->value_count >= out->value_capacity) return;
  vyx_signal_value* v = &out->values[out->value_count++];
  strncpy(v->name, name, VYX_NAME_CAPACITY - 1);
  v->name[VYX_NAME_CAPACITY - 1] = '\0';
  v->value = value;
}

static vyx_status probe_filter(const vyx_market* market, vyx_filter_output* out) {
  const vyx_candles* m5 = market->timeframes[VYX_TF_5M];
  const vyx_candles* h1 = market->timeframes[VYX_TF_1H];
  if (m5 == NULL || m5->count == 0) return VYX_ERR_NOT_ENOUGH_DATA;
  out->matched = 1;
  put(out, "now", (double)market->now_ms);
  put(out, "m5_close_time", (double)m5->close_time[m5->count - 1]);
  put(out, "h1_close_time",
      (h1 != NULL && h1->count > 0) ? (double)h1->close_time[h1->count - 1] : -1.0);
  put(out, "h1_count", h1 != NULL ? (double)h1->count : 0.0);
  return VYX_OK;
}

static const vyx_plugin probe_plugin = {sizeof(vyx_plugin),
                                        VYX_ABI_VERSION,
                                        "probe_mtf",
                                        "test",
                                        (1u << VYX_TF_5M) | (1u << VYX_TF_1H),
                                        1,
                                        4,
                                        0,
                                        probe_filter,
                                        NULL};

__attribute__((visibility("default"))) const vyx_plugin* vyx_plugin_entry(void) {
  return &probe_plugin;
}
