// The analysis queue and its results in SQLite (the same file as the
// signals by default): `analysis_queue` (one row per signal, pending until its
// analysis is stored, so a restart resumes it), `signal_analyses` (unique per
// signal) and `analysis_usage` (provider requests per user per UTC day).
// One connection per object; each object is used by one thread at a time
// (the queue guards its own with a mutex).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "vyx/runtime/analysis/analysis_job.hpp"
#include "vyx/runtime/analysis/analysis_verdict.hpp"

struct sqlite3;

namespace vyx::runtime {

struct queued_job {
  analysis_job job;
  unsigned attempts = 0;
};

struct enqueue_result {
  std::size_t added = 0, duplicates = 0, dropped = 0;  // dropped: the queue was full
};

class analysis_store {
 public:
  explicit analysis_store(const std::filesystem::path& file);  // creates the schema; throws
  ~analysis_store();
  analysis_store(const analysis_store&) = delete;
  analysis_store& operator=(const analysis_store&) = delete;

  // In one transaction; a signal already queued (or analysed) is a duplicate.
  // At most `max_pending` rows stay pending: the rest are dropped.
  bool enqueue(const std::vector<analysis_job>& jobs, std::size_t max_pending,
               enqueue_result& result, std::string& error);
  // Pending jobs due at `now_ms`, oldest first, at most `limit`.
  std::vector<queued_job> due(std::int64_t now_ms, std::size_t limit);
  // When the next pending job is due (Unix ms), if any is pending.
  std::optional<std::int64_t> next_due();
  // Counts one provider request against the user's budget for `day`
  // (YYYY-MM-DD, UTC); false when `limit` requests were made already.
  bool charge(const std::string& user_id, const std::string& day, unsigned limit);
  // The verdict and the job's completion, in one transaction.
  bool store(const analysis_job& job, const analysis_verdict& verdict, const std::string& model,
             std::string& error);
  // A verdict kept while it waits to be written elsewhere (Postgres), so a
  // retry of the write never asks the provider again: the signal_analyses
  // row without completing the job. kept_verdict() reads it back.
  bool keep_verdict(const analysis_job& job, const analysis_verdict& verdict, const std::string& model,
                    std::string& error);
  std::optional<analysis_verdict> kept_verdict(const std::string& signal_key);
  void retry_later(const std::string& signal_key, unsigned attempts, std::int64_t at_ms,
                   const std::string& reason);
  // Ends a job without an analysis: "failed" (gave up) or "skipped" (over budget).
  void finish(const std::string& signal_key, const char* state, unsigned attempts,
              const std::string& reason);
  std::uint64_t pending();

 private:
  sqlite3* db_ = nullptr;
  bool signals_table_ = false;  // the signals sink's table is in this file
};

}  // namespace vyx::runtime
