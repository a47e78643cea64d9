// The worker count and recycling decisions (see scaling_policy.hpp).
#include "pool/scaling_policy.hpp"

#include <algorithm>
#include <thread>

namespace vyx::runtime {

scaling_policy::scaling_policy(const worker_pool_options& options)
    : cooldown_(options.scale_cooldown),
      busy_threshold_(options.scale_up_busy),
      recycle_ns_(options.worker_cpu_seconds * 1'000'000'000ull / 2) {
  const unsigned cpus = std::max(1u, std::thread::hardware_concurrency());
  max_ = options.max_workers == 0 ? cpus : options.max_workers;
  min_ = std::clamp(options.min_workers, 1u, max_);
  target_ = max_;
}

scaling_policy::change scaling_policy::after_tick(std::chrono::nanoseconds busy,
                                                  std::size_t workers,
                                                  clock::time_point now) const {
  if (min_ == max_ || now - last_change_ < cooldown_) return change::none;
  if (busy > busy_threshold_ && workers < max_) return change::add_worker;
  if (busy < busy_threshold_ / 4 && workers > min_) return change::remove_worker;
  return change::none;
}

void scaling_policy::scaled_to(std::size_t workers, clock::time_point now) {
  target_ = static_cast<unsigned>(workers);
  last_change_ = now;
}

}  // namespace vyx::runtime
