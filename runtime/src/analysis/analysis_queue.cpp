// The analysis queue's workers: take a due job (within the rate, pause and
// breaker gates), charge the owner's budget, ask the provider, then store the
// verdict or schedule the retry. The store is touched only under mutex_,
// never while a request is in flight.
#include "vyx/runtime/analysis/analysis_queue.hpp"

#include <spdlog/spdlog.h>

#include <ctime>

#include "vyx/runtime/analysis/analysis_verdict.hpp"

namespace vyx::runtime {
namespace {

using steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr const char* system_prompt =
    "You review trading signals produced by an automated screener. Judge whether the setup "
    "below is worth entering now, following the trader's strategy instructions. Answer with one "
    "JSON object and nothing else: {\"decision\": \"enter_trade\" | \"bad_setup\" | \"wait\", "
    "\"confidence\": an integer from 0 to 100, \"reasoning\": a short explanation}.";

std::int64_t unix_ms() {
  return std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string utc_day() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &parts);
  return text;
}

std::string user_prompt(const analysis_job& job) {
  return "Strategy instructions:\n" + (job.instructions.empty() ? std::string("(none given)") : job.instructions) +
         "\n\nSignal, its indicator values and the recent candles (t = close time, Unix ms):\n" + job.context;
}

}  // namespace

analysis_queue::analysis_queue(analysis_queue_options options)
    : options_(std::move(options)),
      provider_(options_.provider),
      store_(options_.database),
      cooldown_(options_.breaker_cooldown),
      random_(std::random_device{}()) {
  if (options_.concurrency == 0) options_.concurrency = 1;
  if (options_.requests_per_minute == 0) options_.requests_per_minute = 1;
  if (options_.max_attempts == 0) options_.max_attempts = 1;
  for (unsigned i = 0; i < options_.concurrency; ++i) workers_.emplace_back([this] { work_(); });
}

analysis_queue::~analysis_queue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  provider_.cancel_all();  // requests in flight end now; their jobs stay pending on disk
  for (auto& worker : workers_) worker.join();
}

void analysis_queue::notify() {
  // Without the lock, so the scheduler's thread never waits for a worker's
  // SQLite call; a worker between its look and its wait misses this wake-up
  // and looks again within a second.
  wake_.notify_all();
}

analysis_queue_stats analysis_queue::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void analysis_queue::work_() {
  queued_job job;
  while (take_(job)) run_(job);
}

bool analysis_queue::take_(queued_job& job) {
  std::unique_lock lock(mutex_);
  const milliseconds spacing(60'000 / options_.requests_per_minute);
  while (!stopping_) {
    const auto now = steady::now();
    auto gate = std::max(next_start_, paused_until_);
    if (stats_.breaker_open) {
      if (!probe_.empty()) {  // one request is testing the provider; its end wakes us
        wake_.wait(lock);
        continue;
      }
      gate = std::max(gate, breaker_until_);
    }
    if (gate > now) {
      wake_.wait_until(lock, gate);
      continue;
    }
    for (auto& candidate : store_.due(unix_ms(), in_flight_.size() + 1)) {
      if (in_flight_.count(candidate.job.signal_key)) continue;
      job = std::move(candidate);
      in_flight_.insert(job.job.signal_key);
      next_start_ = now + spacing;
      if (stats_.breaker_open) probe_ = job.job.signal_key;
      return true;
    }
    // Nothing due: sleep until the next retry is (at most a second, in case
    // another process shares the file), or until new jobs or a finished one wake us.
    auto until = now + milliseconds(1000);
    if (auto next = store_.next_due()) {
      const auto wait = milliseconds(*next - unix_ms());
      if (wait > milliseconds(0) && now + wait < until) until = now + wait;
    }
    wake_.wait_until(lock, until);
  }
  return false;
}

std::chrono::milliseconds analysis_queue::backoff_(unsigned attempts) {
  // Exponential, capped, with jitter over its upper half so that retries of a
  // burst spread out yet never come sooner than half the step.
  const unsigned shift = std::min(attempts > 0 ? attempts - 1 : 0u, 20u);
  const auto step = std::min<std::int64_t>(options_.backoff_cap.count(), options_.backoff_base.count() << shift);
  std::uniform_int_distribution<std::int64_t> jitter(step / 2, std::max<std::int64_t>(step, 1));
  return milliseconds(jitter(random_));
}

void analysis_queue::run_(queued_job& job) {
  const auto release = [&] {
    in_flight_.erase(job.job.signal_key);
    if (probe_ == job.job.signal_key) probe_.clear();
    wake_.notify_all();
  };
  if (options_.writer) {
    std::unique_lock lock(mutex_);
    if (auto kept = store_.kept_verdict(job.job.signal_key)) {  // only the write failed before
      lock.unlock();
      write_elsewhere_(job, *kept);
      return;
    }
  }
  {
    std::lock_guard lock(mutex_);
    if (!store_.charge(job.job.user_id, utc_day(), options_.daily_budget)) {
      store_.finish(job.job.signal_key, "skipped", job.attempts, "over the daily analysis budget");
      ++stats_.over_budget;
      release();
      return;
    }
    ++stats_.requests;
  }
  const provider_reply reply =
      provider_.post(provider_.request_body(system_prompt, user_prompt(job.job)));

  std::unique_lock lock(mutex_);
  if (stopping_) {  // shutting down: the attempt does not count, the job stays pending
    release();
    return;
  }
  if (reply.status == 200) {
    std::string content, error;
    analysis_verdict verdict;
    consecutive_failures_ = 0;  // the provider answers
    if (stats_.breaker_open) {
      stats_.breaker_open = false;
      cooldown_ = options_.breaker_cooldown;
      spdlog::info("analysis: the provider answers again, circuit closed");
    }
    if (read_completion_content(reply.body, content, error) && parse_verdict(content, verdict, error)) {
      if (options_.writer) {
        lock.unlock();
        write_elsewhere_(job, verdict);
        return;
      }
      if (store_.store(job.job, verdict, provider_.options().model, error)) {
        ++stats_.stored;
        release();
        return;
      }
      error = "cannot store the analysis: " + error;
    } else {
      ++stats_.invalid_output;
    }
    lock.unlock();
    fail_attempt_(job, error, milliseconds(0), false);
    return;
  }
  if (reply.status == 429) {
    // The provider's limit is for the whole key: every request waits.
    const milliseconds wait = std::max<milliseconds>(reply.retry_after, milliseconds(1000));
    paused_until_ = std::max(paused_until_, steady::now() + wait);
    ++stats_.throttled;
    lock.unlock();
    fail_attempt_(job, "provider rate limit (HTTP 429)", wait, false);
    return;
  }
  const bool transient = reply.status == 0 || reply.status == 408 || reply.status >= 500;
  if (!transient) {
    // 400, 401, 402, 403 ...: asking again gives the same answer.
    store_.finish(job.job.signal_key, "failed", job.attempts + 1,
                  "provider refused (HTTP " + std::to_string(reply.status) + ")");
    ++stats_.failed;
    release();
    return;
  }
  lock.unlock();
  fail_attempt_(job,
                reply.status ? "provider error (HTTP " + std::to_string(reply.status) + ")"
                             : "provider unreachable: " + reply.error,
                milliseconds(0), true);
}

void analysis_queue::write_elsewhere_(queued_job& job, const analysis_verdict& verdict) {
  std::string error;
  const write_outcome outcome = options_.writer->write(job.job, verdict, provider_.options().model, error);
  if (outcome == write_outcome::retry) {
    // Not the provider's fault: the breaker does not count it, and the verdict
    // is kept so the next attempt only writes. A crash before the job is
    // marked done re-runs it; the writer's insert is idempotent.
    {
      std::lock_guard lock(mutex_);
      std::string kept_error;
      if (!store_.keep_verdict(job.job, verdict, provider_.options().model, kept_error))
        spdlog::warn("analysis: verdict of {} not kept locally: {}", job.job.signal_key, kept_error);
    }
    fail_attempt_(job, "analysis not stored yet: " + error, milliseconds(0), false);
    return;
  }
  std::lock_guard lock(mutex_);
  if (outcome == write_outcome::stored) {
    store_.finish(job.job.signal_key, "done", job.attempts + 1, "");
    ++stats_.stored;
  } else {
    store_.finish(job.job.signal_key, "failed", job.attempts + 1, "analysis refused: " + error);
    ++stats_.failed;
    spdlog::warn("analysis of {} not stored: {}", job.job.signal_key, error);
  }
  in_flight_.erase(job.job.signal_key);
  if (probe_ == job.job.signal_key) probe_.clear();
  wake_.notify_all();
}

void analysis_queue::fail_attempt_(queued_job& job, const std::string& reason,
                                   milliseconds at_least, bool counts_for_breaker) {
  std::lock_guard lock(mutex_);
  const auto now = steady::now();
  if (counts_for_breaker) {
    ++consecutive_failures_;
    if (stats_.breaker_open && probe_ == job.job.signal_key) {  // the probe failed: stay open, longer
      cooldown_ = std::min(cooldown_ * 2, options_.breaker_cooldown * 16);
      breaker_until_ = now + cooldown_;
    } else if (!stats_.breaker_open && consecutive_failures_ >= options_.breaker_threshold) {
      stats_.breaker_open = true;
      ++stats_.breaker_opened;
      breaker_until_ = now + cooldown_;
      spdlog::warn("analysis: {} failed requests in a row ({}), pausing requests for {} ms",
                   consecutive_failures_, reason, cooldown_.count());
    }
  }
  const unsigned attempts = job.attempts + 1;
  if (attempts >= options_.max_attempts) {
    store_.finish(job.job.signal_key, "failed", attempts, reason);
    ++stats_.failed;
    spdlog::warn("analysis of {} failed after {} attempts: {}", job.job.signal_key, attempts, reason);
  } else {
    const milliseconds delay = std::max(backoff_(attempts), at_least);
    store_.retry_later(job.job.signal_key, attempts, unix_ms() + delay.count(), reason);
    ++stats_.retries;
  }
  in_flight_.erase(job.job.signal_key);
  if (probe_ == job.job.signal_key) probe_.clear();
  wake_.notify_all();
}

}  // namespace vyx::runtime
