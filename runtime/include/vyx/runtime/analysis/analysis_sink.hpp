// The signal sink that feeds the analysis queue: for each signal of an
// eligible trader (auto-analysis on, owner's tier allows it) it renders the
// job (instructions, the signal, its values, the recent candles) and on
// flush() commits the tick's jobs to the queue's SQLite table in one
// transaction, then wakes the queue. It never waits for the provider: only
// the SQLite write runs on the scheduler's thread, as for the signals sink.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "vyx/runtime/analysis/analysis_job.hpp"
#include "vyx/runtime/analysis/analysis_store.hpp"
#include "vyx/runtime/market/candle_store.hpp"
#include "vyx/runtime/sinks/signal_sink.hpp"

namespace vyx::runtime {

class analysis_queue;

// Who owns a trader and whether it is analysed; nullopt: unknown trader.
using analysis_subject_lookup = std::function<std::optional<analysis_subject>(const std::string& trader)>;

struct analysis_sink_stats {
  std::uint64_t enqueued = 0, ineligible = 0, duplicates = 0, dropped = 0, write_failures = 0;
};

class analysis_sink final : public signal_sink {
 public:
  static constexpr std::size_t candles_in_prompt = 50;

  // `queue` may be null (jobs wait on disk for a later process). Throws on a bad store.
  analysis_sink(const candle_store& store, analysis_subject_lookup lookup, analysis_queue* queue,
                const std::filesystem::path& database, std::size_t max_pending);
  analysis_sink_stats stats();

 protected:
  void sink_it_(const trader_signal& signal) override;
  void flush_() override;

 private:
  std::string render_context_(const trader_signal& signal) const;

  const candle_store& candles_;
  analysis_subject_lookup lookup_;
  analysis_queue* queue_;
  analysis_store store_;
  std::size_t max_pending_;
  std::unordered_map<std::string, std::size_t> symbol_index_;
  std::vector<analysis_job> pending_;
  analysis_sink_stats stats_;
};

}  // namespace vyx::runtime
