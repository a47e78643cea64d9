// shipping_lane: one job at a time on its own Postgres connection.
#include "sinks/shipping_lane.hpp"

namespace vyx::runtime {

shipping_lane::shipping_lane(pg_options options) : session_(std::move(options)) {
  thread_ = std::thread([this] { run_(); });
}

shipping_lane::~shipping_lane() {
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !job_; });
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void shipping_lane::start(std::function<void(pg_session&)> job) {
  {
    std::lock_guard lock(mutex_);
    job_ = std::move(job);
  }
  changed_.notify_all();
}

void shipping_lane::wait() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !job_; });
}

void shipping_lane::run(std::function<void(pg_session&)> job) {
  start(std::move(job));
  wait();
}

void shipping_lane::run_() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return stopping_ || job_; });
    if (!job_) return;  // stopping and idle
    // The job runs unlocked; start() is not called again until wait() saw it end.
    auto job = job_;
    lock.unlock();
    job(session_);
    lock.lock();
    job_ = nullptr;
    changed_.notify_all();
  }
}

}  // namespace vyx::runtime
