// T5 (bench stand-in): the 1h EMA(21) is rising, the 5m RSI(14) crosses above
// 30, and the last 5m close is above the VWAP over all 5m bars (cumulative,
// as the peers compute it, so summed here).
#include "host_indicators.hpp"

namespace {
vyx_status filter(const vyx_market* m, vyx_filter_output* out) {
  const vyx_candles* c = m->timeframes[VYX_TF_5M];
  vyx_indicator_result ema{}, rsi{};
  if (c == nullptr || !bench_trader::series(m, VYX_TF_1H, VYX_IND_EMA, {21}, &ema) ||
      !bench_trader::series(m, VYX_TF_5M, VYX_IND_RSI, {14}, &rsi))
    return VYX_ERR_NOT_ENOUGH_DATA;
  const std::size_t h = ema.length, n = rsi.length;
  if (!(ema.outputs[0][h - 1] > ema.outputs[0][h - 2]) || !(rsi.outputs[0][n - 2] <= 30 && rsi.outputs[0][n - 1] > 30)) {
    out->matched = 0;
    return VYX_OK;
  }
  double pv = 0, v = 0;
  for (std::size_t i = 0; i < c->count; ++i) {
    pv += (c->high[i] + c->low[i] + c->close[i]) / 3 * c->volume[i];
    v += c->volume[i];
  }
  out->matched = v > 0 && c->close[c->count - 1] > pv / v;
  return VYX_OK;
}
}  // namespace
BENCH_TRADER("T5", (1u << VYX_TF_1H) | (1u << VYX_TF_5M))
