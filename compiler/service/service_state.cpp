// Shared state of the compile service: session registry and shutdown.
#include "service_state.hpp"

#include <algorithm>
#include <thread>

#include "http_session.hpp"

namespace vyx::compiler::service {

namespace {
unsigned worker_count(unsigned jobs) {
  if (jobs != 0) return jobs;
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : cores;
}
}  // namespace

service_state::service_state(const service_config& config, vyx::compiler::compiler& compiler)
    : config_(config), compiler_(compiler), queue_(worker_count(config.jobs), config.max_queue, config.reserve_workers,
             std::chrono::milliseconds(config.long_compile_ms)),
      signer_(config.artifact_key) {}

void service_state::join(const std::shared_ptr<http_session>& session) {
  std::lock_guard lock(sessions_mutex_);
  std::erase_if(sessions_, [](const auto& weak) { return weak.expired(); });
  sessions_.push_back(session);
  ++live_sessions_;
}

void service_state::leave() {
  std::function<void()> notify;
  {
    std::lock_guard lock(sessions_mutex_);
    --live_sessions_;
    if (stopping_ && live_sessions_ == 0) notify = on_idle_;
  }
  if (notify) notify();
}

void service_state::forget_idle_callback() {
  std::lock_guard lock(sessions_mutex_);
  on_idle_ = nullptr;
}

void service_state::begin_shutdown(std::function<void()> on_idle) {
  std::vector<std::shared_ptr<http_session>> live;
  bool idle = false;
  {
    std::lock_guard lock(sessions_mutex_);
    stopping_ = true;
    on_idle_ = on_idle;
    for (const auto& weak : sessions_)
      if (auto session = weak.lock()) live.push_back(std::move(session));
    idle = live_sessions_ == 0;
  }
  // Sessions are told outside the lock: stop() may end a session, which calls leave().
  for (const auto& session : live) session->stop();
  if (idle) on_idle();
}

}  // namespace vyx::compiler::service
