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
// Length of the well-formed UTF-8 sequence at s (s[0] != 0), 0 if there is none.
inline int utf8_sequence(const char* text) noexcept {
  unsigned char s[4] = {static_cast<unsigned char>(text[0]), 0, 0, 0};
  for (int i = 1; i < 4 && s[i - 1] != 0; ++i) s[i] = static_cast<unsigned char>(text[i]);
  const unsigned char c = s[0];
  int n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (n == 0 || (n == 2 && c < 0xc2) || (n == 4 && c > 0xf4)) return 0;
  for (int i = 1; i < n; ++i)
    if ((s[i] & 0xc0) != 0x80) return 0;
  // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
  if (n == 3 && ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0))) return 0;
  if (n == 4 && ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90))) return 0;
  return n;
}

// Copies `src` into a name slot as well-formed UTF-8: a byte that starts no
// valid character becomes '?', and a name longer than max_name_length bytes
// is cut before the first character that does not fit whole.
inline void copy_name(char* dst, const char* src) noexcept {
  int i = 0;
  if (src != nullptr) {
    for (int j = 0; src[j] != 0;) {
      const int n = utf8_sequence(src + j);
      if (i + (n == 0 ? 1 : n) > max_name_length) break;
      if (n == 0) {
        dst[i++] = '?';
        ++j;
      } else {
        for (int k = 0; k < n; ++k) dst[i++] = src[j + k];
        j += n;
      }
    }
  }
  for (; i < static_cast<int>(VYX_NAME_CAPACITY); ++i) dst[i] = 0;
}

inline bool same_name(const char* a, const char* b) noexcept {
  for (int i = 0; i < static_cast<int>(VYX_NAME_CAPACITY); ++i) {
    if (a[i] != b[i]) return false;
    if (a[i] == 0) return true;
  }
  return true;
}
}  // namespace sdk_detail

// Attaches `value` (NaN and infinities allowed) to the signal under `name`;
// emitting a name again replaces its value (a signal's names are unique).
// False, and nothing attached, past max_emitted_values or outside filter.
inline bool emit(const char* name, double value) noexcept {
  vyx_filter_output* out = sdk_detail::state.filter_out;
  if (out == nullptr || out->values == nullptr) return false;
  char slot_name[VYX_NAME_CAPACITY];
  sdk_detail::copy_name(slot_name, name);
  for (unsigned i = 0; i < out->value_count; ++i)
    if (sdk_detail::same_name(out->values[i].name, slot_name)) {
      out->values[i].value = value;
      return true;
    }
  const unsigned limit = out->value_capacity < static_cast<unsigned>(max_emitted_values)
                             ? out->value_capacity
                             : static_cast<unsigned>(max_emitted_values);
  if (out->value_count >= limit) return false;
  vyx_signal_value& slot = out->values[out->value_count];
  for (int i = 0; i < static_cast<int>(VYX_NAME_CAPACITY); ++i) slot.name[i] = slot_name[i];
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
  // Free points, not tied to candles: `pairs` (x, y) pairs at xy (x0, y0,
  // x1, y1, ...), x a time in ms since the epoch, y NaN a gap
  // (VYX_PLOT_POINTS). False, as for line(), when the buffers are full.
  bool points(const char* name, const double* xy, long pairs, Pane pane = Pane::own) noexcept {
    vyx_plot_output* out = sdk_detail::state.plot_out;
    if (out == nullptr || out->series == nullptr || out->pool == nullptr || pairs < 0) return false;
    const std::uint64_t n = 2 * static_cast<std::uint64_t>(pairs);
    vyx_plot_series* entry = reserve(out, n);
    if (entry == nullptr) return false;
    fill(*entry, out, name, VYX_PLOT_POINTS, 0, pane, n);
    for (std::uint64_t i = 0; i < n; ++i) out->pool[out->pool_used + i] = xy[i];
    out->pool_used += n;
    ++out->series_count;
    return true;
  }

 private:
  friend struct plot_access;
  // The next series slot when it and n pool values fit; else records
  // VYX_ERR_CAPACITY and gives null.
  static vyx_plot_series* reserve(vyx_plot_output* out, std::uint64_t n) noexcept {
    if (out->series_count >= out->series_capacity || n > out->pool_capacity - out->pool_used) {
      sdk_detail::state.status = VYX_ERR_CAPACITY;
      return nullptr;
    }
    return &out->series[out->series_count];
  }
  static void fill(vyx_plot_series& entry, const vyx_plot_output* out, const char* name,
                   vyx_plot_kind kind, vyx_timeframe timeframe, Pane pane,
                   std::uint64_t n) noexcept {
    sdk_detail::copy_name(entry.name, name);
    entry.kind = kind;
    entry.timeframe = timeframe;
    entry.panel = pane == Pane::own ? 1u : 0u;
    entry.reserved0 = 0;
    entry.offset = out->pool_used;
    entry.length = n;
  }
  bool add(const char* name, const Series& s, vyx_plot_kind kind, Pane pane) noexcept {
    vyx_plot_output* out = sdk_detail::state.plot_out;
    if (out == nullptr || out->series == nullptr || out->pool == nullptr) return false;
    const std::uint64_t n = static_cast<std::uint64_t>(s.size());
    vyx_plot_series* entry = reserve(out, n);
    if (entry == nullptr) return false;
    fill(*entry, out, name, kind, sdk_detail::series_access::timeframe(s), pane, n);
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
