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

jsonl_sink::~jsonl_sink() {
  write_pending_();
}

void jsonl_sink::sink_it_(const trader_signal& signal) {
  append_json(pending_, signal);
  pending_ += '\n';
  if (pending_.size() >= pending_limit) write_pending_();
}

void jsonl_sink::flush_() {
  write_pending_();
  out_->flush();
}

void jsonl_sink::write_pending_() {
  out_->write(pending_.data(), static_cast<std::streamsize>(pending_.size()));
  pending_.clear();
}

}  // namespace vyx::runtime
