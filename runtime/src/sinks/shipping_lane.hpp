// A second Postgres connection with its own thread for the outbox shipper:
// while the shipper thread sends one batch on its connection, the lane sends
// the next one on its own, so two batches are in Postgres at once (one
// server backend each: Postgres' per-row work, not the client, bounds
// shipping; BENCHMARKS.md, "Postgres").
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "vyx/runtime/database/pg_session.hpp"

namespace vyx::runtime {

class shipping_lane {
 public:
  explicit shipping_lane(pg_options options);
  ~shipping_lane();  // waits for a job in progress, then joins the thread
  shipping_lane(const shipping_lane&) = delete;
  shipping_lane& operator=(const shipping_lane&) = delete;

  // Runs `job` with the lane's session on the lane's thread. One job at a
  // time: the caller waits for it with wait() before the next start().
  void start(std::function<void(pg_session&)> job);
  void wait();
  // Only while idle (after wait()): the session's backoff after a failure.
  std::chrono::milliseconds retry_in() const { return session_.retry_in(); }

 private:
  void run_();

  pg_session session_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::function<void(pg_session&)> job_;  // set while a job waits or runs
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace vyx::runtime
