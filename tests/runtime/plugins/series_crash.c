/* Test trader: on 1m, always matches with one value; its series() crashes
 * (a null store), to show a series fault keeps the signal. */
#include "vyx/abi.h"

#include <string.h>

static vyx_status series_crash_filter(const vyx_market* market, vyx_filter_output* out) {
  const vyx_candles* m1 = market->timeframes[VYX_TF_1M];
  if (m1 == NULL || m1->count < 1) return VYX_ERR_NOT_ENOUGH_DATA;
  out->matched = 1;
  if (out->value_capacity > 0) {
    strcpy(out->values[0].name, "close");
    out->values[0].value = m1->close[m1->count - 1];
    out->value_count = 1;
  }
  return VYX_OK;
}

static vyx_status series_crash_series(const vyx_market* market, vyx_plot_output* out) {
  (void)market;
  (void)out;
  volatile double* nowhere = NULL;
  *nowhere = 1;
  return VYX_OK;
}

static const vyx_plugin series_crash_plugin = {
    sizeof(vyx_plugin),  VYX_ABI_VERSION,    "series_crash", "test", 1u << VYX_TF_1M, 1, 1, 0,
    series_crash_filter, series_crash_series};

__attribute__((visibility("default"))) const vyx_plugin* vyx_plugin_entry(void) {
  return &series_crash_plugin;
}
