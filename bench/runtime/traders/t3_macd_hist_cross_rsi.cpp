// T3 (bench stand-in): on 5m the MACD(12,26,9) histogram crosses up and RSI(14) is above 50.
#include "host_indicators.hpp"

namespace {
vyx_status filter(const vyx_market* m, vyx_filter_output* out) {
  vyx_indicator_result macd{}, rsi{};
  if (!bench_trader::series(m, VYX_TF_5M, VYX_IND_MACD, {12, 26, 9}, &macd) ||
      !bench_trader::series(m, VYX_TF_5M, VYX_IND_RSI, {14}, &rsi))
    return VYX_ERR_NOT_ENOUGH_DATA;
  const std::size_t n = macd.length;
  const double* hist = macd.outputs[2];
  out->matched = hist[n - 2] <= 0 && hist[n - 1] > 0 && rsi.outputs[0][n - 1] > 50;
  return VYX_OK;
}
}  // namespace
BENCH_TRADER("T3", 1u << VYX_TF_5M)
