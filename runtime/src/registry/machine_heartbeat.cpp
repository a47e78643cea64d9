// Heartbeat thread: one UPDATE of user_fly_apps per period.
#include "vyx/runtime/registry/machine_heartbeat.hpp"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>

namespace vyx::runtime {

machine_heartbeat::machine_heartbeat(heartbeat_options options, std::function<bool()> healthy)
    : options_(std::move(options)), healthy_(std::move(healthy)), session_(options_.database) {
  thread_ = std::thread([this] { run_(); });
}

machine_heartbeat::~machine_heartbeat() {
  stop();
}

void machine_heartbeat::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::uint64_t machine_heartbeat::beats() const {
  std::lock_guard lock(mutex_);
  return beats_;
}

void machine_heartbeat::run_() {
  bool warned = false;
  while (true) {
    const char* status = healthy_ && !healthy_() ? "unhealthy" : "healthy";
    std::string error;
    std::size_t rows = 0;
    auto failure = session_.transact(
        [&](pqxx::transaction_base& t) {
          rows = t.exec_params(
                      "UPDATE public.user_fly_apps SET last_health_check = now(), "
                      "health_status = $2 WHERE user_id = $1::uuid "
                      "AND ($3 = '' OR fly_app_name = $3)",
                      options_.user_id, status, options_.fly_app_name)
                     .affected_rows();
        },
        error);
    if (failure == pg_failure::none && rows == 0) error = "no user_fly_apps row for this machine";
    if (failure == pg_failure::none && rows > 0) {
      warned = false;
      std::lock_guard lock(mutex_);
      ++beats_;
    } else if (!warned) {
      spdlog::warn("heartbeat: user_fly_apps not updated: {}", error);
      warned = true;
    }
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, options_.period, [&] { return stopping_; })) return;
  }
}

}  // namespace vyx::runtime
