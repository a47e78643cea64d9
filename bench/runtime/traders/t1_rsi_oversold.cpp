// T1 (bench stand-in): RSI(14) on 5m is below 30.
#include "host_indicators.hpp"

namespace {
vyx_status filter(const vyx_market* m, vyx_filter_output* out) {
  vyx_indicator_result rsi{};
  if (!bench_trader::series(m, VYX_TF_5M, VYX_IND_RSI, {14}, &rsi)) return VYX_ERR_NOT_ENOUGH_DATA;
  out->matched = rsi.outputs[0][rsi.length - 1] < 30;
  return VYX_OK;
}
}  // namespace
BENCH_TRADER("T1", 1u << VYX_TF_5M)
