// The small shared page through which a worker tells the pool what it is
// doing right now, so that a crash, trap or timeout is pinned on one trader.
#pragma once

#include <atomic>
#include <cstdint>
#include <ctime>

namespace vyx::runtime {

enum class worker_phase : std::uint32_t {
  starting = 0,
  loading = 1,
  idle = 2,
  evaluating = 3,
  series = 4
};

// Lives in a MAP_SHARED page created by the pool, one per worker. The worker
// writes, the pool reads after a death or while watching the deadline.
// Lock-free atomics only: the worker may die at any instruction.
struct progress_slot {
  std::atomic<std::uint32_t> phase;
  std::atomic<std::uint32_t> trader;          // plugin index (while loading or evaluating)
  std::atomic<std::uint32_t> symbol;          // symbol index (while evaluating)
  std::atomic<std::int32_t> trapped_syscall;  // set by the SIGSYS handler, -1 = none
  std::atomic<std::int64_t> started_ns;       // watchdog_ns() at the start of the current step
  std::atomic<std::uint32_t> out_of_memory;   // set by the worker's new_handler
  std::atomic<std::uint32_t> reserved;
};
static_assert(std::atomic<std::int64_t>::is_always_lock_free);

// The watchdog's clock. The worker stamps every evaluation with it, so it is
// the coarse monotonic clock (a vDSO read of the last kernel tick, several
// times cheaper than the precise one); the pool kills only once its
// resolution has also passed, so an evaluation is never stopped before its
// deadline, and at most one or two kernel ticks after.
inline std::int64_t watchdog_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);  // vDSO: no syscall
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

inline std::int64_t watchdog_resolution_ns() {
  timespec ts{};
  clock_getres(CLOCK_MONOTONIC_COARSE, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace vyx::runtime
