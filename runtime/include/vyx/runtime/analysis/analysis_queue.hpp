// The AI analysis queue: jobs persisted in SQLite (analysis_store), sent to
// the provider by its own threads, never the scheduler's. Limits: a fixed
// number of requests in flight (`concurrency`), a minimum spacing between
// request starts (`requests_per_minute`), a daily budget of requests per user,
// retries with exponential backoff and full jitter on 429 (at least
// Retry-After, which also pauses every request), 5xx, timeouts and transport
// errors, and a circuit breaker that stops all requests for a cool-down after
// consecutive failures (then lets one probe through).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "vyx/runtime/analysis/analysis_result_writer.hpp"
#include "vyx/runtime/analysis/analysis_store.hpp"
#include "vyx/runtime/analysis/analysis_verdict.hpp"
#include "vyx/runtime/analysis/provider_client.hpp"

namespace vyx::runtime {

struct analysis_queue_options {
  std::filesystem::path database = "vyx.db";
  provider_options provider;
  unsigned concurrency = 2;             // VYX_ANALYSIS_CONCURRENCY
  unsigned requests_per_minute = 30;    // VYX_ANALYSIS_RPM
  unsigned daily_budget = 200;          // VYX_ANALYSIS_DAILY_BUDGET, requests per user per UTC day
  std::size_t max_pending = 1000;       // VYX_ANALYSIS_MAX_PENDING: more are dropped
  unsigned max_attempts = 5;            // per job, then it fails for good
  std::chrono::milliseconds backoff_base{2'000}, backoff_cap{120'000};
  unsigned breaker_threshold = 5;       // consecutive failed requests that open the breaker
  std::chrono::milliseconds breaker_cooldown{60'000};
  // Where verdicts go; null: the store's own signal_analyses table (SQLite).
  // The queue itself stays in `database` either way.
  std::shared_ptr<analysis_result_writer> writer;
};

struct analysis_queue_stats {
  std::uint64_t requests = 0, stored = 0, retries = 0, failed = 0, over_budget = 0,
                invalid_output = 0, throttled = 0, breaker_opened = 0;
  bool breaker_open = false;
};

class analysis_queue {
 public:
  // Opens the store and starts the worker threads (jobs left pending by an
  // earlier process are picked up). Throws on a bad store or provider URL.
  explicit analysis_queue(analysis_queue_options options);
  ~analysis_queue();  // cancels requests in flight and joins the threads
  analysis_queue(const analysis_queue&) = delete;
  analysis_queue& operator=(const analysis_queue&) = delete;

  // New jobs are in the store: look now rather than at the next timer
  // (never blocks: safe on the scheduler's thread).
  void notify();
  analysis_queue_stats stats() const;
  const analysis_queue_options& options() const { return options_; }

 private:
  void work_();
  bool take_(queued_job& job);  // waits; false when stopping
  void run_(queued_job& job);
  // Hands the verdict to options_.writer (called with the lock released).
  void write_elsewhere_(queued_job& job, const analysis_verdict& verdict);
  void fail_attempt_(queued_job& job, const std::string& reason, std::chrono::milliseconds at_least,
                     bool counts_for_breaker);
  std::chrono::milliseconds backoff_(unsigned attempts);

  analysis_queue_options options_;
  provider_client provider_;
  analysis_store store_;  // guarded by mutex_
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::set<std::string> in_flight_;
  std::chrono::steady_clock::time_point next_start_{}, paused_until_{}, breaker_until_{};
  unsigned consecutive_failures_ = 0;
  std::string probe_;  // half-open: the job whose request is testing the provider
  std::chrono::milliseconds cooldown_{};
  std::mt19937_64 random_;
  analysis_queue_stats stats_;
  std::vector<std::thread> workers_;
};

}  // namespace vyx::runtime
