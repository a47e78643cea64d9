// The SDK's per-call state inside a plugin: the market being evaluated, the
// output buffers, and a bump arena for computed series. Not user-visible.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vyx/abi.h"

namespace vyx::sdk_detail {

// 2 Mi doubles (16 MiB of .bss, touched only as used). The ABI promises one
// call at a time per plugin, so one arena per plugin is enough; it is reset
// at the start of every filter/series call and no pointer into it survives
// the call (Series never outlive the call that produced them).
inline constexpr std::size_t arena_capacity = std::size_t{1} << 21;

struct call_state {
  const vyx_market* market = nullptr;
  vyx_filter_output* filter_out = nullptr;
  vyx_plot_output* plot_out = nullptr;
  std::size_t arena_used = 0;
  vyx_status status = VYX_OK;  // first capacity problem of the call, if any
  // A translated Go function that never writes to a []float64 reads the
  // host's indicator windows in place (go_borrow_served_windows below).
  bool borrow_served_windows = false;
};

constinit inline call_state state{};
alignas(64) constinit inline double arena[arena_capacity]{};

// Room for n doubles, or null when the arena is exhausted (the call then
// reports VYX_ERR_CAPACITY and the series reads as empty).
inline double* allocate(std::size_t n) noexcept {
  if (n > arena_capacity - state.arena_used) {
    state.status = VYX_ERR_CAPACITY;
    return nullptr;
  }
  double* p = arena + state.arena_used;
  state.arena_used += n;
  return p;
}

// The Go front end calls this first in a function that it proved never
// writes to the elements of a []float64 (compiler/go/float_writes.go): the
// host's indicator windows it is served need no copy (vyx::go::served_slice).
// Internal, so only the translations may call it (the dialect's call
// allowlist): code that could write to those windows would change what every
// other trader of the symbol reads. The flag lasts one call.
inline void go_borrow_served_windows() noexcept {
  state.borrow_served_windows = true;
}

inline void begin_call(const vyx_market* market) noexcept {
  state = call_state{};
  state.market = market;
}

inline constexpr double nan_value = __builtin_nan("");

}  // namespace vyx::sdk_detail
