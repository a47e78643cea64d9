// Per-bar price arithmetic shared by the range and directional indicators,
// written once so every indicator rounds it the same way TA-Lib does.
#pragma once

#include <cmath>

namespace vyx::ta::detail {

// max(high - low, |high - prev_close|, |low - prev_close|), compared in
// TA-Lib's order (the order only matters for NaN inputs). Selects rather
// than branches, so the compiler can use max instructions.
inline double true_range(double high, double low, double prev_close) noexcept {
  double range = high - low;
  const double above = std::fabs(high - prev_close);
  range = above > range ? above : range;
  const double below = std::fabs(low - prev_close);
  range = below > range ? below : range;
  return range;
}

// TA-Lib's "is zero" test (|x| < 1e-14), used where its DI, DX and NATR
// divisions fall back to 0.
inline bool talib_is_zero(double x) noexcept {
  return -1e-14 < x && x < 1e-14;
}

// (high + low + close) / 3, summed left to right as TA-Lib does.
inline double typical_price(double high, double low, double close) noexcept {
  return (high + low + close) / 3;
}

}  // namespace vyx::ta::detail
