// A bounded pool of compile workers: the I/O thread hands jobs over and never
// blocks; when the waiting room is full the job is refused (the caller answers 503).
// Beside the workers stand `reserve` threads that take a job only while every
// worker has been busy for longer than `long_after`: compiles that run long
// (bombs up to their time limit) hold at most the regular workers, and cheap
// compiles keep flowing through the reserve meanwhile.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace vyx::compiler::service {

class compile_queue {
 public:
  // A job runs in a worker and returns its completion, which the worker calls
  // once the job no longer counts as running: whoever the completion notifies
  // sees gauges that already include the finished job.
  using completion = std::function<void()>;
  using job = std::function<completion()>;

  // `workers` threads; at most `max_waiting` jobs wait for a free worker.
  compile_queue(unsigned workers, std::size_t max_waiting, unsigned reserve = 1,
                std::chrono::milliseconds long_after = std::chrono::milliseconds(2000));
  ~compile_queue();
  compile_queue(const compile_queue&) = delete;
  compile_queue& operator=(const compile_queue&) = delete;

  // False when the waiting room is full or the queue is stopping. Never blocks.
  bool try_submit(job work);

  // Refuses new jobs, lets every accepted job finish, joins the workers.
  void stop();

  std::size_t waiting() const;
  std::size_t running() const;
  unsigned workers() const { return static_cast<unsigned>(threads_.size()); }

 private:
  using clock = std::chrono::steady_clock;
  void run_worker(std::size_t slot);
  void run_reserve();
  bool every_worker_long(clock::time_point now) const;  // with mutex_ held

  const std::size_t max_waiting_;
  const std::chrono::milliseconds long_after_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<job> waiting_;
  std::size_t running_ = 0;  // regular workers' jobs
  std::size_t reserve_running_ = 0;
  std::vector<std::optional<clock::time_point>> started_;  // per regular worker
  bool stopping_ = false;
  std::vector<std::thread> threads_;
  std::vector<std::thread> reserve_threads_;
};

}  // namespace vyx::compiler::service
