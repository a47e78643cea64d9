/* Benchmark trader at a realistic match rate: reads 1m, 5m and 1h like a
 * multi-timeframe screener, matches about 1% of symbols at each close (a
 * hash of symbol and close time, so the matches move from close to close),
 * and emits four values like probe_mtf. */
#include "vyx/abi.h"

#include <string.h>

static void put(vyx_filter_output* out, const char* name, double value) {
  if (out->value_count >= out->value_capacity) return;
  vyx_signal_value* v = &out->values[out->value_count++];
  strncpy(v->name, name, VYX_NAME_CAPACITY - 1);
  v->name[VYX_NAME_CAPACITY - 1] = '\0';
  v->value = value;
}

static vyx_status sparse_filter(const vyx_market* market, vyx_filter_output* out) {
  const vyx_candles* m1 = market->timeframes[VYX_TF_1M];
  const vyx_candles* m5 = market->timeframes[VYX_TF_5M];
  if (m1 == NULL || m1->count == 0 || m5 == NULL || m5->count == 0) return VYX_ERR_NOT_ENOUGH_DATA;
  /* FNV-1a over the symbol and the close time. */
  uint64_t h = 14695981039346656037ull;
  for (const char* c = market->symbol; *c; ++c) h = (h ^ (unsigned char)*c) * 1099511628211ull;
  h = (h ^ (uint64_t)market->now_ms) * 1099511628211ull;
  h ^= h >> 29;
  out->matched = h % 100 == 0;
  if (!out->matched) return VYX_OK;
  put(out, "now", (double)market->now_ms);
  put(out, "close", m1->close[m1->count - 1]);
  put(out, "m5_close", m5->close[m5->count - 1]);
  put(out, "m1_count", (double)m1->count);
  return VYX_OK;
}

static const vyx_plugin sparse_plugin = {sizeof(vyx_plugin),
                                         VYX_ABI_VERSION,
                                         "sparse",
                                         "bench",
                                         (1u << VYX_TF_1M) | (1u << VYX_TF_5M) | (1u << VYX_TF_1H),
                                         1,
                                         4,
                                         0,
                                         sparse_filter,
                                         NULL};

__attribute__((visibility("default"))) const vyx_plugin* vyx_plugin_entry(void) {
  return &sparse_plugin;
}
