// Trader outputs: vyx::emit (named values attached to a signal) and
// vyx::Plot (named series for the chart), both bounded by the host's buffers.
#pragma once

#include "vyx/sdk/series.hpp"

namespace vyx {

// Most values one filter call may attach (recorded in the plugin descriptor).
inline constexpr int max_emitted_values = 16;
// Names longer than this many bytes are cut.
inline constexpr int max_name_length = VYX_NAME_CAPACITY - 1;

namespace sdk_detail {
inline void copy_name(char* dst, const char* src) noexcept {
  int i = 0;
  if (src != nullptr)
    for (; i < max_name_length && src[i] != 0; ++i) dst[i] = src[i];
  for (; i < static_cast<int>(VYX_NAME_CAPACITY); ++i) dst[i] = 0;
}
}  // namespace sdk_detail

// Attaches `value` (NaN and infinities allowed) to the signal under `name`.
// False, and nothing attached, past max_emitted_values or outside filter.
inline bool emit(const char* name, double value) noexcept {
  vyx_filter_output* out = sdk_detail::state.filter_out;
  if (out == nullptr) return false;
  const unsigned limit = out->value_capacity < static_cast<unsigned>(max_emitted_values)
                             ? out->value_capacity
                             : static_cast<unsigned>(max_emitted_values);
  if (out->values == nullptr || out->value_count >= limit) return false;
  vyx_signal_value& slot = out->values[out->value_count];
  sdk_detail::copy_name(slot.name, name);
  slot.value = value;
  ++out->value_count;
  return true;
}

// Where a plotted series is drawn.
enum class Pane { price, own };

class Plot {
 public:
  // A line; on the price chart or in its own panel. False when the host's
  // buffers are full (the series call then reports VYX_ERR_CAPACITY).
  bool line(const char* name, const Series& s, Pane pane = Pane::own) noexcept {
    return add(name, s, VYX_PLOT_LINE, pane);
  }
  bool bar(const char* name, const Series& s, Pane pane = Pane::own) noexcept {
    return add(name, s, VYX_PLOT_BAR, pane);
  }

 private:
  friend struct plot_access;
  bool add(const char* name, const Series& s, vyx_plot_kind kind, Pane pane) noexcept {
    vyx_plot_output* out = sdk_detail::state.plot_out;
    if (out == nullptr || out->series == nullptr || out->pool == nullptr) return false;
    const std::uint64_t n = static_cast<std::uint64_t>(s.size());
    if (out->series_count >= out->series_capacity || n > out->pool_capacity - out->pool_used) {
      sdk_detail::state.status = VYX_ERR_CAPACITY;
      return false;
    }
    vyx_plot_series& entry = out->series[out->series_count];
    sdk_detail::copy_name(entry.name, name);
    entry.kind = kind;
    entry.timeframe = sdk_detail::series_access::timeframe(s);
    entry.panel = pane == Pane::own ? 1u : 0u;
    entry.reserved0 = 0;
    entry.offset = out->pool_used;
    entry.length = n;
    for (int i = 0; i < s.size(); ++i)
      out->pool[out->pool_used + static_cast<std::uint64_t>(i)] = s[i];
    out->pool_used += n;
    ++out->series_count;
    return true;
  }
};

struct plot_access {
  static Plot make() noexcept { return Plot{}; }
};

}  // namespace vyx
