// Two doubles in one SSE register (GCC/Clang vector extension), for the few
// loops whose bound is an instruction count: each lane rounds exactly like
// the scalar operation, so pairing changes no bits.
#pragma once

#include <cstdint>
#include <cstring>

namespace vyx::ta::detail {

using double_pair = double __attribute__((vector_size(16)));
using mask_pair = std::int64_t __attribute__((vector_size(16)));

inline double_pair load_pair(const double* p) noexcept {
  double_pair v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline void store_pair(double* p, double_pair v) noexcept {
  std::memcpy(p, &v, sizeof v);
}

}  // namespace vyx::ta::detail
