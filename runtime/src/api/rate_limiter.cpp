#include "rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace vyx::runtime::api {

bool rate_limiter::allow(const std::string& client, long& retry_after, clock_type::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(client);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_clients_) forget_idlest_();
    it = buckets_.emplace(client, bucket{burst_, now}).first;
  }
  bucket& b = it->second;
  const double elapsed = std::chrono::duration<double>(now - b.last).count();
  b.tokens = std::min(burst_, b.tokens + std::max(0.0, elapsed) * rate_);
  b.last = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return true;
  }
  retry_after = std::max(1L, static_cast<long>(std::ceil((1 - b.tokens) / rate_)));
  return false;
}

void rate_limiter::forget_idlest_() {
  std::vector<clock_type::time_point> times;
  times.reserve(buckets_.size());
  for (const auto& [client, b] : buckets_) times.push_back(b.last);
  auto middle = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2);
  std::nth_element(times.begin(), middle, times.end());
  const auto cutoff = *middle;
  std::erase_if(buckets_, [&](const auto& entry) { return entry.second.last <= cutoff; });
}

}  // namespace vyx::runtime::api
