// A Postgres connection with its own thread for the outbox shipper. The
// sink has two: each is handed the next batch as soon as its last one is
// settled, so two batches are in Postgres at once (one server backend each:
// Postgres' per-row work, not the client, bounds shipping; BENCHMARKS.md,
// "Postgres").
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
  // start() then wait().
  void run(std::function<void(pg_session&)> job);
  // Only while idle (after wait()): the session's backoff after a failure,
  // and whether it holds a connection.
  std::chrono::milliseconds retry_in() const { return session_.retry_in(); }
  bool connected() const { return session_.connected(); }

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
