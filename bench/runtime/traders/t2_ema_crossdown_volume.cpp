// T2 (bench stand-in): on 1m the close crosses down through EMA(50), is below
// EMA(200), and volume is above 1.2 x its 20-bar average.
#include "host_indicators.hpp"

namespace {
vyx_status filter(const vyx_market* m, vyx_filter_output* out) {
  const vyx_candles* c = m->timeframes[VYX_TF_1M];
  vyx_indicator_result e50{}, e200{}, vol{};
  if (c == nullptr || !bench_trader::series(m, VYX_TF_1M, VYX_IND_EMA, {50}, &e50) ||
      !bench_trader::series(m, VYX_TF_1M, VYX_IND_EMA, {200}, &e200) ||
      !bench_trader::series(m, VYX_TF_1M, VYX_IND_AVG_VOLUME, {20}, &vol))
    return VYX_ERR_NOT_ENOUGH_DATA;
  const std::size_t n = c->count;
  const double prev_close = c->close[n - 2], close = c->close[n - 1];
  out->matched = prev_close >= e50.outputs[0][n - 2] && close < e50.outputs[0][n - 1] &&
                 close < e200.outputs[0][n - 1] && c->volume[n - 1] > 1.2 * vol.outputs[0][n - 1];
  return VYX_OK;
}
}  // namespace
BENCH_TRADER("T2", 1u << VYX_TF_1M)
