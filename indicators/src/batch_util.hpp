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
  const std::size_t lead = static_cast<std::size_t>(lookback) < size ? static_cast<std::size_t>(lookback) : size;
  (fill_no_value(outs, 0, lead), ...);
  return size > static_cast<std::size_t>(lookback) ? status::ok : status::input_too_short;
}

}  // namespace vyx::ta::detail
