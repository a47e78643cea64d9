// T4 (bench stand-in): on 1h the Bollinger(20,2) bandwidth is the lowest of the last 50 bars.
#include "host_indicators.hpp"

namespace {
vyx_status filter(const vyx_market* m, vyx_filter_output* out) {
  vyx_indicator_result bb{};
  if (!bench_trader::series(m, VYX_TF_1H, VYX_IND_BBANDS, {20, 2, 2}, &bb) || bb.length < 50)
    return VYX_ERR_NOT_ENOUGH_DATA;
  const std::size_t n = bb.length;
  auto width = [&](std::size_t i) { return (bb.outputs[0][i] - bb.outputs[2][i]) / bb.outputs[1][i]; };
  const double now = width(n - 1);
  bool lowest = !std::isnan(now);
  for (std::size_t i = n - 50; i < n - 1 && lowest; ++i) lowest = now <= width(i);
  out->matched = lowest;
  return VYX_OK;
}
}  // namespace
BENCH_TRADER("T4", 1u << VYX_TF_1H)
