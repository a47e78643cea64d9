// Bounded compile worker pool with a reserve for cheap compiles.
#include "compile_queue.hpp"

namespace vyx::compiler::service {

compile_queue::compile_queue(unsigned workers, std::size_t max_waiting, unsigned reserve,
                             std::chrono::milliseconds long_after)
    : max_waiting_(max_waiting), long_after_(long_after) {
  if (workers == 0) workers = 1;
  started_.resize(workers);
  threads_.reserve(workers);
  for (unsigned i = 0; i < workers; ++i) threads_.emplace_back([this, i] { run_worker(i); });
  for (unsigned i = 0; i < reserve; ++i) reserve_threads_.emplace_back([this] { run_reserve(); });
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
  wake_.notify_all();
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
  for (auto& thread : reserve_threads_)
    if (thread.joinable()) thread.join();
}

std::size_t compile_queue::waiting() const {
  std::lock_guard lock(mutex_);
  const std::size_t idle = threads_.size() - running_;
  return waiting_.size() > idle ? waiting_.size() - idle : 0;
}

std::size_t compile_queue::running() const {
  std::lock_guard lock(mutex_);
  return running_ + reserve_running_;
}

bool compile_queue::every_worker_long(clock::time_point now) const {
  for (const auto& started : started_)
    if (!started || now - *started < long_after_) return false;
  return true;
}

void compile_queue::run_worker(std::size_t slot) {
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
      started_[slot] = clock::now();
    }
    completion done = work();
    {
      std::lock_guard lock(mutex_);
      --running_;
      started_[slot].reset();
    }
    wake_.notify_all();
    if (done) done();
  }
}

void compile_queue::run_reserve() {
  // Polls while jobs wait: "every worker has run long" becomes true by the
  // clock alone, with nothing to notify.
  const auto poll = std::chrono::milliseconds(50);
  for (;;) {
    job work;
    {
      std::unique_lock lock(mutex_);
      for (;;) {
        if (stopping_) return;  // the regular workers drain what was accepted
        if (!waiting_.empty() && every_worker_long(clock::now())) break;
        if (waiting_.empty())
          wake_.wait(lock);
        else
          wake_.wait_for(lock, poll);
      }
      work = std::move(waiting_.front());
      waiting_.pop_front();
      ++reserve_running_;
    }
    completion done = work();
    {
      std::lock_guard lock(mutex_);
      --reserve_running_;
    }
    if (done) done();
  }
}

}  // namespace vyx::compiler::service
