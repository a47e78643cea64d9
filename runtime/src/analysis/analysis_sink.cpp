// The analysis queue's sink: eligible signals become jobs, committed on flush.
#include "vyx/runtime/analysis/analysis_sink.hpp"

#include <spdlog/spdlog.h>

#include "vyx/runtime/analysis/analysis_queue.hpp"
#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime {

analysis_sink::analysis_sink(const candle_store& store, analysis_subject_lookup lookup,
                             analysis_queue* queue, const std::filesystem::path& database,
                             std::size_t max_pending)
    : candles_(store),
      lookup_(std::move(lookup)),
      queue_(queue),
      store_(database),
      max_pending_(max_pending) {
  for (std::size_t i = 0; i < candles_.symbol_count(); ++i)
    symbol_index_.emplace(std::string(candles_.symbol(i)), i);
}

analysis_sink_stats analysis_sink::stats() {
  std::lock_guard lock(mutex_);
  return stats_;
}

void analysis_sink::sink_it_(const trader_signal& signal) {
  const auto subject = lookup_ ? lookup_(signal.trader) : std::nullopt;
  if (!subject || !eligible_for_analysis(*subject)) {
    ++stats_.ineligible;
    return;
  }
  if (pending_.size() >= max_pending_) {  // the database has not answered for a while
    ++stats_.dropped;
    return;
  }
  analysis_job job;
  job.signal_key = signal_key_of(signal);
  job.trader = signal.trader;
  job.symbol = signal.symbol;
  job.timeframe = timeframe_name(signal.timeframe);
  job.close_time = signal.close_time;
  job.user_id = subject->user_id;
  job.instructions = subject->instructions;
  job.context = render_context_(signal);
  pending_.push_back(std::move(job));
}

void analysis_sink::flush_() {
  if (pending_.empty()) return;
  enqueue_result result;
  std::string error;
  if (!store_.enqueue(pending_, max_pending_, result, error)) {
    ++stats_.write_failures;
    spdlog::warn("analysis: {} jobs kept for the next flush: {}", pending_.size(), error);
    return;
  }
  pending_.clear();
  stats_.enqueued += result.added;
  stats_.duplicates += result.duplicates;
  if (result.dropped) {
    stats_.dropped += result.dropped;
    spdlog::warn("analysis queue full ({} pending): {} signals not analysed", max_pending_, result.dropped);
  }
  if (queue_ && result.added) queue_->notify();
}

std::string analysis_sink::render_context_(const trader_signal& s) const {
  std::string out = "{\"trader\":\"" + json_escape(s.trader) + "\",\"symbol\":\"" + json_escape(s.symbol) +
                    "\",\"timeframe\":\"" + timeframe_name(s.timeframe) + "\",\"close_time\":" +
                    std::to_string(s.close_time) + ",\"time\":\"" + iso8601_utc(s.close_time) +
                    "\",\"price\":" + json_number(s.price) + ",\"indicators\":{";
  for (std::size_t i = 0; i < s.values.size(); ++i)
    out += (i ? ",\"" : "\"") + json_escape(s.values[i].name) + "\":" + json_number(s.values[i].value);
  out += "},\"candles\":[";
  auto found = symbol_index_.find(s.symbol);
  std::optional<std::size_t> index;
  if (found != symbol_index_.end()) index = found->second;
  // A symbol the live feed added after this sink was made is found by a scan.
  for (std::size_t i = symbol_index_.size(); !index && i < candles_.symbol_count(); ++i)
    if (candles_.symbol(i) == s.symbol) index = i;
  if (index) {
    const vyx_candles candles = candles_.view(*index, s.timeframe);
    // Up to and including the signal's own candle.
    std::uint64_t end = candles.count;
    while (end > 0 && candles.close_time[end - 1] > s.close_time) --end;
    const std::uint64_t begin = end > candles_in_prompt ? end - candles_in_prompt : 0;
    for (std::uint64_t i = begin; i < end; ++i)
      out += std::string(i == begin ? "" : ",") + "{\"t\":" + std::to_string(candles.close_time[i]) +
             ",\"o\":" + json_number(candles.open[i]) + ",\"h\":" + json_number(candles.high[i]) +
             ",\"l\":" + json_number(candles.low[i]) + ",\"c\":" + json_number(candles.close[i]) +
             ",\"v\":" + json_number(candles.volume[i]) + "}";
  }
  return out + "]}";
}

}  // namespace vyx::runtime
