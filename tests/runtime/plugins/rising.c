/* Test trader: on 1m, matches when the close rose; its chart series are a
 * 3-bar average of the close (over the price) and the change of the close
 * (bars in a panel of its own). */
#include "vyx/abi.h"

#include <math.h>
#include <string.h>

static vyx_status rising_filter(const vyx_market* market, vyx_filter_output* out) {
  const vyx_candles* m1 = market->timeframes[VYX_TF_1M];
  if (m1 == NULL || m1->count < 2) return VYX_ERR_NOT_ENOUGH_DATA;
  double now = m1->close[m1->count - 1], before = m1->close[m1->count - 2];
  out->matched = now > before;
  if (out->matched && out->value_capacity > 0) {
    strcpy(out->values[0].name, "change");
    out->values[0].value = now - before;
    out->value_count = 1;
  }
  return VYX_OK;
}

static vyx_status rising_series(const vyx_market* market, vyx_plot_output* out) {
  const vyx_candles* m1 = market->timeframes[VYX_TF_1M];
  if (m1 == NULL) return VYX_ERR_NO_TIMEFRAME;
  if (out->series_capacity < 2 || out->pool_capacity - out->pool_used < 2 * m1->count)
    return VYX_ERR_CAPACITY;
  vyx_plot_series* s = &out->series[out->series_count++];
  memset(s, 0, sizeof *s);
  strcpy(s->name, "avg3");
  s->kind = VYX_PLOT_LINE;
  s->timeframe = VYX_TF_1M;
  s->offset = out->pool_used;
  s->length = m1->count;
  for (uint64_t i = 0; i < m1->count; ++i)
    out->pool[out->pool_used + i] =
        i < 2 ? NAN : (m1->close[i] + m1->close[i - 1] + m1->close[i - 2]) / 3.0;
  out->pool_used += m1->count;

  vyx_plot_series* change = &out->series[out->series_count++];
  memset(change, 0, sizeof *change);
  strcpy(change->name, "change");
  change->kind = VYX_PLOT_BAR;
  change->timeframe = VYX_TF_1M;
  change->panel = 1;
  change->offset = out->pool_used;
  change->length = m1->count;
  for (uint64_t i = 0; i < m1->count; ++i)
    out->pool[out->pool_used + i] = i < 1 ? NAN : m1->close[i] - m1->close[i - 1];
  out->pool_used += m1->count;
  return VYX_OK;
}

static const vyx_plugin rising_plugin = {
    sizeof(vyx_plugin), VYX_ABI_VERSION, "rising", "test", 1u << VYX_TF_1M, 2, 1, 0,
    rising_filter,      rising_series};

__attribute__((visibility("default"))) const vyx_plugin* vyx_plugin_entry(void) {
  return &rising_plugin;
}
