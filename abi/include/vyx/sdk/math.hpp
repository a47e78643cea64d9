// <cmath>-style math for trader code: the only numeric functions the dialect
// may call, each a thin forwarder so the checker's allowlist stays "vyx::".
#pragma once

#include <cmath>

#include "vyx/sdk/state.hpp"

namespace vyx {

inline constexpr double nan = sdk_detail::nan_value;
inline constexpr double infinity = __builtin_inf();
inline constexpr double pi = 3.14159265358979323846;

inline double abs(double x) noexcept {
  return std::fabs(x);
}
inline int abs(int x) noexcept {
  return x < 0 ? -x : x;
}
inline double sqrt(double x) noexcept {
  return std::sqrt(x);
}
inline double cbrt(double x) noexcept {
  return std::cbrt(x);
}
inline double pow(double x, double y) noexcept {
  return std::pow(x, y);
}
inline double exp(double x) noexcept {
  return std::exp(x);
}
inline double log(double x) noexcept {
  return std::log(x);
}
inline double log10(double x) noexcept {
  return std::log10(x);
}
inline double log2(double x) noexcept {
  return std::log2(x);
}
inline double floor(double x) noexcept {
  return std::floor(x);
}
inline double ceil(double x) noexcept {
  return std::ceil(x);
}
inline double round(double x) noexcept {
  return std::round(x);
}
inline double trunc(double x) noexcept {
  return std::trunc(x);
}
inline double fmod(double x, double y) noexcept {
  return std::fmod(x, y);
}
inline double sin(double x) noexcept {
  return std::sin(x);
}
inline double cos(double x) noexcept {
  return std::cos(x);
}
inline double tan(double x) noexcept {
  return std::tan(x);
}
inline double atan(double x) noexcept {
  return std::atan(x);
}
inline double atan2(double y, double x) noexcept {
  return std::atan2(y, x);
}
inline double tanh(double x) noexcept {
  return std::tanh(x);
}
inline double hypot(double x, double y) noexcept {
  return std::hypot(x, y);
}
inline bool isnan(double x) noexcept {
  return std::isnan(x);
}
inline bool isfinite(double x) noexcept {
  return std::isfinite(x);
}
inline bool isinf(double x) noexcept {
  return std::isinf(x);
}
inline double min(double a, double b) noexcept {
  return b < a ? b : a;
}
inline double max(double a, double b) noexcept {
  return a < b ? b : a;
}
inline int min(int a, int b) noexcept {
  return b < a ? b : a;
}
inline int max(int a, int b) noexcept {
  return a < b ? b : a;
}
inline double clamp(double x, double lo, double hi) noexcept {
  return x < lo ? lo : (hi < x ? hi : x);
}
inline int clamp(int x, int lo, int hi) noexcept {
  return x < lo ? lo : (hi < x ? hi : x);
}
// Rounds to `digits` decimals, half away from zero (JavaScript toFixed style).
inline double round_to(double x, int digits) noexcept {
  const double scale = std::pow(10.0, digits);
  return std::round(x * scale) / scale;
}
// Percent change from a to b: (b - a) / a * 100.
inline double percent_change(double a, double b) noexcept {
  return (b - a) / a * 100.0;
}

}  // namespace vyx
