// The feed base class's shared bookkeeping of dropped rows.
#include "vyx/runtime/feeds/feed.hpp"

#include <spdlog/spdlog.h>

namespace vyx::runtime {

void feed::warn_(std::uint64_t feed_stats::*counter, const std::string& where,
                 const std::string& reason) {
  std::string message = where + ": " + reason;
  spdlog::warn("feed: {} (skipped)", message);
  std::lock_guard lock(mutex_);
  ++(stats_.*counter);
  if (stats_.warnings.size() < kept_warnings) stats_.warnings.push_back(std::move(message));
}

}  // namespace vyx::runtime
