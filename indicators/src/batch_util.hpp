// Small helpers shared by the batch forms: the common prologue (check the
// input column, fill warm-up bars with no_value) kept in one place.
#pragma once

#include <cstddef>

#include "vyx/indicators/core.hpp"

namespace vyx::ta::detail {

inline void fill_no_value(double* out, std::size_t from, std::size_t to) noexcept {
  for (std::size_t i = from; i < to; ++i) out[i] = no_value;
}

// Writes no_value to the first min(lookback, size) bars of every output and
// says whether the input is long enough to produce a value.
template <class... Out>
status warm_up(std::size_t size, int lookback, Out*... outs) noexcept {
  const std::size_t lead =
      static_cast<std::size_t>(lookback) < size ? static_cast<std::size_t>(lookback) : size;
  (fill_no_value(outs, 0, lead), ...);
  return size > static_cast<std::size_t>(lookback) ? status::ok : status::input_too_short;
}

// The batch form of a one-period indicator whose stream has a value-level
// push(close) that allocates nothing (DEMA, TEMA): the closes through a fresh
// state, so batch and streaming do the same operations by construction.
template <class Stream>
status push_closes(const columns& in, int period, int lookback, double* out) noexcept {
  if (in.close == nullptr || out == nullptr) return status::invalid_input;
  if (Stream::validate(period) != status::ok)
    return fill_no_value(out, 0, in.size), status::invalid_option;
  if (status s = warm_up(in.size, lookback, out); s != status::ok) return s;
  Stream state(period);
  const std::size_t lead = static_cast<std::size_t>(lookback);
  for (std::size_t i = 0; i < lead; ++i) state.push(in.close[i]);
  for (std::size_t i = lead; i < in.size; ++i) out[i] = state.push(in.close[i]);
  return status::ok;
}

}  // namespace vyx::ta::detail

namespace vyx::ta::detail {

// out[i] = max (Max) or min of x[i−period+1..i] for i >= period−1 (earlier
// bars untouched). TA-Lib's scheme: remember where the extreme is, rescan the
// window only when it drops out; O(1) per bar on market data. The values are
// exact, so for finite values they equal the stream's (extreme_window).
template <bool Max>
void rolling_extreme(const double* x, std::size_t size, std::size_t period, double* out) noexcept {
  if (size < period || period == 0) return;
  const std::ptrdiff_t n = static_cast<std::ptrdiff_t>(size);
  std::ptrdiff_t at = -1;  // index of the current extreme; -1: none yet
  double best = 0;
  for (std::ptrdiff_t today = static_cast<std::ptrdiff_t>(period) - 1, trailing = 0; today < n;
       ++today, ++trailing) {
    const double v = x[today];
    if (at < trailing) {
      at = trailing, best = x[trailing];
      for (std::ptrdiff_t j = trailing + 1; j <= today; ++j)
        if (Max ? x[j] > best : x[j] < best) at = j, best = x[j];
    } else if (Max ? v >= best : v <= best) {
      at = today, best = v;
    }
    out[today] = best;
  }
}

}  // namespace vyx::ta::detail
