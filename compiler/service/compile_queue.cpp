// Bounded compile worker pool.
#include "compile_queue.hpp"

namespace vyx::compiler::service {

compile_queue::compile_queue(unsigned workers, std::size_t max_waiting)
    : max_waiting_(max_waiting) {
  if (workers == 0) workers = 1;
  threads_.reserve(workers);
  for (unsigned i = 0; i < workers; ++i) threads_.emplace_back([this] { run_worker(); });
}

compile_queue::~compile_queue() {
  stop();
}

bool compile_queue::try_submit(job work) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    // Jobs in the deque are first taken by idle workers; only the rest occupy the waiting room.
    const std::size_t idle = threads_.size() - running_;
    if (waiting_.size() + 1 > idle + max_waiting_) return false;
    waiting_.push_back(std::move(work));
  }
  wake_.notify_one();
  return true;
}

void compile_queue::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_)
    if (thread.joinable()) thread.join();
}

std::size_t compile_queue::waiting() const {
  std::lock_guard lock(mutex_);
  const std::size_t idle = threads_.size() - running_;
  return waiting_.size() > idle ? waiting_.size() - idle : 0;
}

std::size_t compile_queue::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

void compile_queue::run_worker() {
  for (;;) {
    job work;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
      // Accepted jobs are always run, even while stopping: their clients wait for an answer.
      if (waiting_.empty()) return;
      work = std::move(waiting_.front());
      waiting_.pop_front();
      ++running_;
    }
    completion done = work();
    {
      std::lock_guard lock(mutex_);
      --running_;
    }
    if (done) done();
  }
}

}  // namespace vyx::compiler::service
