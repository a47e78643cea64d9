// The plugin's operator new/delete: the indicator library sizes scratch
// buffers with new[] once per call, and a plugin may not import the C++
// runtime, so allocation comes from the per-call arena (state.hpp). delete is
// a no-op: the arena is reset when the next call starts. Included once per
// plugin, by entry.hpp; user code cannot use new (dialect-call-allowlist).
#pragma once

#include <cstddef>
#include <new>

#include "vyx/sdk/state.hpp"

namespace vyx::sdk_detail {
inline void* heap_allocate(std::size_t bytes) noexcept {
  // Whole 16-byte blocks keep every allocation aligned like malloc's.
  const std::size_t doubles = ((bytes + 15) / 16) * 2;
  double* p = allocate(doubles == 0 ? 2 : doubles);
  // Without exceptions an allocation cannot fail politely: a contained
  // fault, reported by the runtime as the trader's.
  if (p == nullptr) __builtin_trap();
  return p;
}
// The nothrow form the indicator library uses: null when the arena is full
// (allocate() has recorded VYX_ERR_CAPACITY, the trader's resource limit),
// which the library reports as a failed indicator instead of a trap.
inline void* heap_try_allocate(std::size_t bytes) noexcept {
  const std::size_t doubles = ((bytes + 15) / 16) * 2;
  return allocate(doubles == 0 ? 2 : doubles);
}
}  // namespace vyx::sdk_detail

void* operator new(std::size_t bytes) {
  return vyx::sdk_detail::heap_allocate(bytes);
}
void* operator new[](std::size_t bytes) {
  return vyx::sdk_detail::heap_allocate(bytes);
}
void* operator new(std::size_t bytes, const std::nothrow_t&) noexcept {
  return vyx::sdk_detail::heap_try_allocate(bytes);
}
void* operator new[](std::size_t bytes, const std::nothrow_t&) noexcept {
  return vyx::sdk_detail::heap_try_allocate(bytes);
}
void operator delete(void*) noexcept {}
void operator delete[](void*) noexcept {}
void operator delete(void*, std::size_t) noexcept {}
void operator delete[](void*, std::size_t) noexcept {}
