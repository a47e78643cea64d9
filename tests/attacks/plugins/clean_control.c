/* The control trader of the audited attack tests: plain C built to pass the
 * runtime's ELF audit (the entry symbol only, no start files, libc only), so
 * it loads with the audit on while the attacker beside it is refused. It
 * matches where the close rose and emits that close. */
#include <string.h>

#include "vyx/abi.h"

static vyx_status clean_filter(const vyx_market* market, vyx_filter_output* out) {
  const vyx_candles* c = market->timeframes[VYX_TF_1M];
  if (c == 0) return VYX_ERR_NO_TIMEFRAME;
  if (c->count < 2) return VYX_ERR_NOT_ENOUGH_DATA;
  out->matched = c->close[c->count - 1] > c->close[c->count - 2] ? 1u : 0u;
  if (out->value_capacity > 0) {
    memset(out->values[0].name, 0, sizeof out->values[0].name);
    memcpy(out->values[0].name, "close", 5);
    out->values[0].value = c->close[c->count - 1];
    out->value_count = 1;
  }
  return VYX_OK;
}

static const vyx_plugin clean_descriptor = {
    sizeof(vyx_plugin), VYX_ABI_VERSION, "control", "test", 1u << VYX_TF_1M, 2, 1, 0,
    clean_filter,       0};

__attribute__((visibility("default"))) const vyx_plugin* vyx_plugin_entry(void) {
  return &clean_descriptor;
}
