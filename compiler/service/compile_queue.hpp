// A bounded pool of compile workers: the I/O thread hands jobs over and never
// blocks; when the waiting room is full the job is refused (the caller answers 503).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
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
  compile_queue(unsigned workers, std::size_t max_waiting);
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
  void run_worker();

  const std::size_t max_waiting_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<job> waiting_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace vyx::compiler::service
