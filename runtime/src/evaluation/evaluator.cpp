// Direct plugin calls over the candle store (see evaluator.hpp).
#include "evaluation/evaluator.hpp"

#include "evaluation/plugin_output.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace vyx::runtime {
namespace {
constexpr std::uint32_t max_values_per_signal = 64;
}

evaluator::evaluator(const candle_store& store, std::vector<const vyx_plugin*> plugins,
                     std::uint32_t window_bars)
    : store_(store), plugins_(std::move(plugins)), window_bars_(window_bars), cache_(store) {
  std::uint32_t most = 1;
  for (const vyx_plugin* p : plugins_)
    most = std::max(most, std::min(p->max_signal_values, max_values_per_signal));
  values_.resize(most);
  context_.cache = &cache_;
}

void evaluator::begin_symbol(std::size_t symbol, std::int64_t now_ms, std::size_t visit_end) {
  symbol_ = symbol;
  now_ms_ = now_ms;
  context_.symbol = symbol;
  cache_.begin_symbol(symbol, now_ms, visit_end);
  for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf)
    if (store_.timeframes() & (1u << tf)) views_[tf] = store_.view(symbol, tf);
  const vyx_ticker* t = store_.ticker(symbol);
  if (t != nullptr) {
    ticker_ = *t;
  } else {
    ticker_ = vyx_ticker{sizeof(vyx_ticker), 0, std::nan(""), std::nan(""), std::nan("")};
  }
}

void evaluator::reset_market() {
  std::memcpy(call_views_, views_, sizeof views_);
  call_ticker_ = ticker_;
  market_.struct_size = sizeof(vyx_market);
  market_.window_bars = window_bars_;
  market_.symbol = store_.symbol_c_str(symbol_);
  market_.now_ms = now_ms_;
  market_.ticker = &call_ticker_;
  for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf)
    market_.timeframes[tf] = (store_.timeframes() & (1u << tf)) ? &call_views_[tf] : nullptr;
  market_.host = indicator_cache::host_api();
  market_.host_context = &context_;
  context_.cache = &cache_;
  context_.symbol = symbol_;
}

evaluation evaluator::evaluate(std::uint32_t trader) {
  evaluation r;
  if (trader >= plugins_.size()) {
    r.status = VYX_ERR_INVALID_ARGUMENT;
    return r;
  }
  const vyx_plugin* p = plugins_[trader];
  reset_market();
  vyx_filter_output out{};
  out.struct_size = sizeof out;
  out.value_capacity =
      std::min<std::uint32_t>(p->max_signal_values, static_cast<std::uint32_t>(values_.size()));
  out.values = values_.data();
  const vyx_filter_output given = out;
  r.status = p->filter(&market_, &out);
  if (r.status == VYX_OK) r.status = check_filter_output(out, given);
  r.matched = r.status == VYX_OK && out.matched == 1;
  r.value_count = r.matched ? out.value_count : 0;
  return r;
}

plot_result evaluator::series(std::uint32_t trader, std::size_t symbol, std::int64_t now_ms) {
  plot_result result;
  if (trader >= plugins_.size() || symbol >= store_.symbol_count()) {
    result.error = "no such trader or symbol";
    return result;
  }
  const vyx_plugin* p = plugins_[trader];
  if (p->series == nullptr) return result;
  begin_symbol(symbol, now_ms);
  reset_market();
  constexpr std::uint32_t series_capacity = 32;
  std::vector<vyx_plot_series> series(series_capacity);
  std::vector<double> pool(static_cast<std::size_t>(series_capacity) * (store_.capacity() + 1));
  vyx_plot_output out{};
  out.struct_size = sizeof out;
  out.series_capacity = series_capacity;
  out.series = series.data();
  out.pool = pool.data();
  out.pool_capacity = pool.size();
  vyx_status s = p->series(&market_, &out);
  if (s != VYX_OK) {
    result.error = "series returned status " + std::to_string(s);
    return result;
  }
  if (out.series_count > series_capacity || out.pool_used > pool.size()) {
    result.error = "series reported more than the host's buffers hold";
    return result;
  }
  const std::uint32_t count = out.series_count;
  for (std::uint32_t i = 0; i < count; ++i) {
    const vyx_plot_series& ps = series[i];
    if (ps.offset > pool.size() || ps.length > pool.size() - ps.offset) {
      result.error = "series out of the pool's bounds";
      result.series.clear();
      return result;
    }
    const std::size_t name_length = strnlen(ps.name, VYX_NAME_CAPACITY);
    if (name_length == VYX_NAME_CAPACITY || !valid_utf8({ps.name, name_length}) ||
        ps.kind > VYX_PLOT_POINTS || ps.timeframe >= VYX_TIMEFRAME_COUNT || ps.panel > 1 ||
        (ps.kind == VYX_PLOT_POINTS && ps.length % 2 != 0)) {
      result.error = "series " + std::to_string(i) +
                     " has a name that is not NUL-terminated UTF-8, an unknown kind, "
                     "timeframe or panel, or points of odd length";
      result.series.clear();
      return result;
    }
    decltype(result.series)::value_type rs;
    rs.name.assign(ps.name, name_length);
    rs.kind = ps.kind;
    rs.timeframe = ps.timeframe;
    rs.panel = ps.panel != 0;
    rs.values.assign(pool.begin() + static_cast<std::ptrdiff_t>(ps.offset),
                     pool.begin() + static_cast<std::ptrdiff_t>(ps.offset + ps.length));
    result.series.push_back(std::move(rs));
  }
  return result;
}

}  // namespace vyx::runtime
