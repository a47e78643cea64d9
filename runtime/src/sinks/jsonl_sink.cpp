// JSON-lines sink.
#include "vyx/runtime/sinks/jsonl_sink.hpp"

#include <ostream>
#include <stdexcept>

namespace vyx::runtime {

jsonl_sink::jsonl_sink(std::ostream& out) : out_(&out) {}

jsonl_sink::jsonl_sink(const std::filesystem::path& file)
    : file_(file, std::ios::app), out_(&file_) {
  if (!file_) throw std::runtime_error("cannot open " + file.string() + " for signals");
}

void jsonl_sink::sink_it_(const trader_signal& signal) {
  *out_ << to_json(signal) << '\n';
}

void jsonl_sink::flush_() {
  out_->flush();
}

}  // namespace vyx::runtime
