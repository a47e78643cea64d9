// The control trader of the sandbox tests: reads candles and host-served
// indicators (EMA, RSI, MACD) and emits their values, so that any change to
// what it sees shows up in its results bit for bit.
#include <cmath>
#include <cstring>

#include "test_descriptor.hpp"

namespace {

vyx_status indicator(const vyx_market* m, vyx_indicator_id id, unsigned count, const double* params,
                     vyx_indicator_result* out) {
  vyx_indicator_request r{};
  r.struct_size = sizeof r;
  r.timeframe = VYX_TF_1M;
  r.indicator = id;
  r.param_count = count;
  for (unsigned i = 0; i < count; ++i) r.params[i] = params[i];
  out->struct_size = sizeof *out;
  return m->host->indicator(m->host_context, &r, out);
}

void put(vyx_filter_output* out, const char* name, double v) {
  if (out->value_count >= out->value_capacity) return;
  vyx_signal_value& s = out->values[out->value_count++];
  std::memset(s.name, 0, sizeof s.name);
  std::strncpy(s.name, name, sizeof s.name - 1);
  s.value = v;
}

vyx_status filter(const vyx_market* m, vyx_filter_output* out) {
  const vyx_candles* c = m->timeframes[VYX_TF_1M];
  if (c == nullptr) return VYX_ERR_NO_TIMEFRAME;
  if (c->count < 30) return VYX_ERR_NOT_ENOUGH_DATA;
  const double ema_p[] = {10}, rsi_p[] = {14}, macd_p[] = {12, 26, 9};
  vyx_indicator_result ema{}, rsi{}, macd{};
  vyx_status s;
  if ((s = indicator(m, VYX_IND_EMA, 1, ema_p, &ema)) != VYX_OK) return s;
  if ((s = indicator(m, VYX_IND_RSI, 1, rsi_p, &rsi)) != VYX_OK) return s;
  if ((s = indicator(m, VYX_IND_MACD, 3, macd_p, &macd)) != VYX_OK) return s;
  const std::size_t last = c->count - 1;
  const double close = c->close[last];
  out->matched = close > ema.outputs[0][last] ? 1 : 0;
  put(out, "close", close);
  put(out, "ema10", ema.outputs[0][last]);
  put(out, "rsi14", rsi.outputs[0][last]);
  put(out, "macd_hist", macd.outputs[2][last]);
  return VYX_OK;
}

constexpr vyx_plugin descriptor =
    vyx::test_plugin::descriptor("control", &filter, {1u << VYX_TF_1M, 60, 8});

}  // namespace

VYX_TEST_PLUGIN_ENTRY(descriptor)
