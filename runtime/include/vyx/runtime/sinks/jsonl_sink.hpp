// Signals as JSON lines (one object per line) to stdout or a file.
#pragma once

#include <filesystem>
#include <fstream>
#include <iosfwd>

#include "vyx/runtime/sinks/signal_sink.hpp"

namespace vyx::runtime {

class jsonl_sink final : public signal_sink {
 public:
  explicit jsonl_sink(std::ostream& out);                  // not owned; e.g. std::cout
  explicit jsonl_sink(const std::filesystem::path& file);  // appends; throws if it cannot open

 protected:
  void sink_it_(const trader_signal& signal) override;
  void flush_() override;

 private:
  std::ofstream file_;
  std::ostream* out_;
};

}  // namespace vyx::runtime
