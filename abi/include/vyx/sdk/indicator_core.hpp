// How an indicator call reaches its numbers: first the host's shared cache
// (computed once per symbol/timeframe for every trader), else the indicator
// library compiled into the plugin. Not user-visible.
#pragma once

#include <cstddef>

#include "vyx/indicators/core.hpp"
#include "vyx/sdk/market.hpp"

namespace vyx::sdk_detail {

// Asks the host for `id` over timeframe `tf`; true when it answered with at
// least `outputs` series exactly `length` long (aligned with the candles).
inline bool from_host(vyx_timeframe tf, vyx_indicator_id id, const double* params,
                      unsigned param_count, int length, int outputs, Series* out) noexcept {
  const vyx_market* m = state.market;
  if (m == nullptr || m->host == nullptr || param_count > VYX_INDICATOR_MAX_PARAMS) return false;
  const vyx_host_api* host = m->host;
  if (host->struct_size < sizeof(vyx_host_api) || host->indicator == nullptr) return false;
  vyx_indicator_request request{};
  request.struct_size = sizeof(vyx_indicator_request);
  request.timeframe = tf;
  request.indicator = id;
  request.param_count = param_count;
  for (unsigned i = 0; i < param_count; ++i) request.params[i] = params[i];
  vyx_indicator_result result{};
  result.struct_size = sizeof(vyx_indicator_result);
  if (host->indicator(m->host_context, &request, &result) != VYX_OK) return false;
  if (result.output_count < static_cast<unsigned>(outputs) ||
      result.length != static_cast<std::uint64_t>(length))
    return false;
  for (int k = 0; k < outputs; ++k) {
    if (result.outputs[k] == nullptr) return false;
    out[k] = series_access::make(result.outputs[k], result.length, tf, column::none);
  }
  return true;
}

// K outputs of n values each, in the arena; false when it is full.
template <int K>
bool allocate_outputs(int n, vyx_timeframe tf, double** raw, Series* out) noexcept {
  for (int k = 0; k < K; ++k) {
    raw[k] = allocate(static_cast<std::size_t>(n));
    if (raw[k] == nullptr) return false;
    out[k] = series_access::make(raw[k], static_cast<std::size_t>(n), tf, column::none);
  }
  return true;
}

// An indicator over one series. The host serves it when the series is the
// candle column the indicator reads (`host_column`); otherwise the library
// computes it here, starting at the first finite value so that indicators of
// indicators (an EMA of an RSI) skip the warm-up NaNs instead of drowning in
// them. `batch(x, size, outs)` runs the library.
template <int K, class Batch>
void series_indicator(const Series& in, column host_column, vyx_indicator_id id,
                      const double* params, unsigned param_count, Series* out,
                      Batch&& batch) noexcept {
  const int n = in.size();
  const vyx_timeframe tf = series_access::timeframe(in);
  if (n == 0) return;
  if (series_access::origin(in) == host_column && from_host(tf, id, params, param_count, n, K, out))
    return;
  double* raw[K];
  if (!allocate_outputs<K>(n, tf, raw, out)) {
    for (int k = 0; k < K; ++k) out[k] = Series{};
    return;
  }
  const double* x = series_access::data(in);
  int lead = 0;
  while (lead < n && !(x[lead] - x[lead] == 0)) ++lead;  // NaN and infinities
  for (int k = 0; k < K; ++k)
    for (int i = 0; i < lead; ++i) raw[k][i] = nan_value;
  if (lead == n) return;
  double* shifted[K];
  for (int k = 0; k < K; ++k) shifted[k] = raw[k] + lead;
  batch(x + lead, static_cast<std::size_t>(n - lead), static_cast<double* const*>(shifted));
}

inline ta::columns candle_columns(const Candles& k) noexcept {
  ta::columns c;
  const vyx_candles* src = market_access::candles(k);
  if (src == nullptr) return c;
  c.open = src->open;
  c.high = src->high;
  c.low = src->low;
  c.close = src->close;
  c.volume = src->volume;
  c.size = static_cast<std::size_t>(k.size());
  c.open_time = src->open_time;
  c.taker_buy_volume = src->taker_buy_base_volume;
  return c;
}

// An indicator over the candles of one timeframe: host first, then the
// library on the candle columns. `batch(columns, outs)` runs the library.
template <int K, class Batch>
void candle_indicator(const Candles& k, vyx_indicator_id id, const double* params,
                      unsigned param_count, Series* out, Batch&& batch) noexcept {
  const int n = k.size();
  const vyx_timeframe tf = market_access::timeframe(k);
  if (n == 0) return;
  if (from_host(tf, id, params, param_count, n, K, out)) return;
  double* raw[K];
  if (!allocate_outputs<K>(n, tf, raw, out)) {
    for (int i = 0; i < K; ++i) out[i] = Series{};
    return;
  }
  batch(candle_columns(k), static_cast<double* const*>(raw));
}

inline ta::columns close_only(const double* x, std::size_t size) noexcept {
  ta::columns c;
  c.close = x;
  c.size = size;
  return c;
}

}  // namespace vyx::sdk_detail
