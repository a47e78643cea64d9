// The times the runtime tests build their markets on.
#pragma once

#include <cstdint>

namespace vyx::test {

inline constexpr std::int64_t minute = 60'000;  // ms
inline constexpr std::int64_t hour = 60 * minute;
// November 2023, on an hour boundary: where every test market starts.
inline constexpr std::int64_t t0 = 1'700'000'000'000 / hour * hour;

}  // namespace vyx::test
