// JSON-lines sink.
#include "vyx/runtime/sinks/jsonl_sink.hpp"

#include <algorithm>
#include <atomic>
#include <ostream>
#include <stdexcept>
#include <system_error>
#include <thread>

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

namespace {

void append_lines(std::string& out, std::span<const trader_signal* const> signals) {
  for (const trader_signal* s : signals) {
    append_json(out, *s);
    out += '\n';
  }
}

}  // namespace

// A large tick is cut into pieces that this thread and a few helpers format,
// each taking the next piece not taken; this thread writes the pieces in
// order as each is ready, so the write of one overlaps the formatting of
// the next. Formatting (the numbers' shortest forms, mostly) is most of the
// sink's time for a tick of tens of thousands of signals.
void jsonl_sink::write_all_(std::span<const trader_signal* const> signals) {
  const std::size_t threads =
      std::min<std::size_t>(max_format_threads, std::max(1u, std::thread::hardware_concurrency()));
  if (signals.size() < parallel_threshold || threads < 2) {
    for (const trader_signal* s : signals) sink_it_(*s);
    return;
  }
  write_pending_();  // the lines before these go first
  const std::size_t pieces = std::min(signals.size() / (parallel_threshold / 4), threads * 4);
  pieces_.resize(pieces);
  std::vector<std::atomic<bool>> ready(pieces);
  std::atomic<std::size_t> next{0};
  const auto format = [&](std::size_t i) {
    const std::size_t begin = signals.size() * i / pieces, end = signals.size() * (i + 1) / pieces;
    // Formatted in a string of this thread's own: the pieces' strings sit
    // side by side, and two threads growing neighbours would share a cache
    // line at every append.
    std::string lines;
    lines.swap(pieces_[i]);
    lines.clear();
    append_lines(lines, signals.subspan(begin, end - begin));
    pieces_[i].swap(lines);
    ready[i].store(true, std::memory_order_release);
    ready[i].notify_one();
  };
  std::vector<std::jthread> helpers;
  helpers.reserve(threads - 1);
  for (std::size_t t = 1; t < threads; ++t) {
    try {
      helpers.emplace_back([&] {
        for (std::size_t i; (i = next.fetch_add(1)) < pieces;) format(i);
      });
    } catch (const std::system_error&) {
      break;  // no thread to be had: this one formats what is left
    }
  }
  for (std::size_t i = 0; i < pieces; ++i) {
    while (!ready[i].load(std::memory_order_acquire)) {
      const std::size_t mine = next.fetch_add(1);
      if (mine < pieces)
        format(mine);
      else
        ready[i].wait(false, std::memory_order_acquire);  // a helper has it
    }
    out_->write(pieces_[i].data(), static_cast<std::streamsize>(pieces_[i].size()));
  }
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
