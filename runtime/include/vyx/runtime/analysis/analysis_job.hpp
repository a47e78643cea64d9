// One signal waiting for its analysis, and who it belongs to: what the sink
// enqueues and the queue sends. The signal's market context (indicator values
// and recent candles) is rendered when the signal is enqueued, because the
// candle store moves on while the job waits.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vyx/runtime/screening/trader_signal.hpp"

namespace vyx::runtime {

// The owner of a trader, as far as analysis is concerned.
struct analysis_subject {
  std::string user_id;       // whose daily budget pays ("local" for a local run)
  std::string tier;          // the owner's subscription tier
  bool auto_analyze = false; // traders.auto_analyze_signals
  std::string instructions;  // the trader's strategy instructions (may be empty)
};

// PLATFORM.md: analysis is for Elite owners; compared case-insensitively.
bool tier_allows_analysis(std::string_view tier);
inline bool eligible_for_analysis(const analysis_subject& s) {
  return s.auto_analyze && tier_allows_analysis(s.tier);
}

struct analysis_job {
  std::string signal_key;  // trader|symbol|timeframe|close_time: one analysis per signal
  std::string trader, symbol, timeframe;
  std::int64_t close_time = 0;
  std::string user_id;
  std::string instructions;
  std::string context;  // JSON: the signal, its indicator values, recent candles
};

std::string signal_key_of(const trader_signal& s);

}  // namespace vyx::runtime
