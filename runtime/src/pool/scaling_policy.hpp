// How many workers the sandboxed pool runs, and when one is recycled. A new
// generation starts with the current target; after each tick a busy tick
// adds a worker and a quiet one gives one back, never two changes closer
// together than the cooldown.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "vyx/runtime/pool/worker_pool.hpp"

namespace vyx::runtime {

class scaling_policy {
 public:
  using clock = std::chrono::steady_clock;
  enum class change { none, add_worker, remove_worker };

  // max_workers 0 means the machine's CPUs; min_workers is held within [1, max].
  explicit scaling_policy(const worker_pool_options& options);

  unsigned target_workers() const { return target_; }
  unsigned max_workers() const { return max_; }

  // What to do after a tick that kept the workers busy for `busy`.
  change after_tick(std::chrono::nanoseconds busy, std::size_t workers,
                    clock::time_point now) const;
  // The change was made: the pool now runs `workers`.
  void scaled_to(std::size_t workers, clock::time_point now);

  // A worker is replaced at half its RLIMIT_CPU, long before the kernel
  // would kill it in the middle of a tick.
  bool should_recycle(std::uint64_t cpu_ns) const { return cpu_ns > recycle_ns_; }

 private:
  unsigned min_, max_, target_;
  std::chrono::milliseconds cooldown_;
  std::chrono::nanoseconds busy_threshold_;
  std::uint64_t recycle_ns_;
  clock::time_point last_change_ = clock::now();
};

}  // namespace vyx::runtime
