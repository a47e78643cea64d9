// Signals as JSON lines (one object per line) to stdout or a file.
#pragma once

#include <filesystem>
#include <fstream>
#include <iosfwd>
#include <string>
#include <vector>

#include "vyx/runtime/sinks/signal_sink.hpp"

namespace vyx::runtime {

class jsonl_sink final : public signal_sink {
 public:
  explicit jsonl_sink(std::ostream& out);                  // not owned; e.g. std::cout
  explicit jsonl_sink(const std::filesystem::path& file);  // appends; throws if it cannot open
  ~jsonl_sink() override;                                  // writes what flush() has not

 protected:
  void sink_it_(const trader_signal& signal) override;
  void write_all_(std::span<const trader_signal* const> signals) override;
  void flush_() override;

 private:
  // Lines are formatted into one buffer and written in one call per flush
  // (a tick), or sooner past this size, so that a backtest that flushes only
  // at its end does not hold all its signals.
  static constexpr std::size_t pending_limit = 4u << 20;

  // A tick of thousands of signals is formatted by up to this many threads
  // (write_all_): the workers are idle while the sink runs.
  static constexpr std::size_t max_format_threads = 4;
  static constexpr std::size_t parallel_threshold = 4096;  // signals

  void write_pending_();

  std::ofstream file_;
  std::ostream* out_;
  std::string pending_;
  std::vector<std::string> pieces_;  // a large tick's lines in pieces, kept for their capacity
};

}  // namespace vyx::runtime
