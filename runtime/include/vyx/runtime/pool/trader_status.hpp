// A trader as the pool is asked to run it, and what the pool reports of it:
// the vocabulary of sinks, the status command and the server, without the pool.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "vyx/abi.h"

namespace vyx::runtime {

struct trader_spec {
  std::string id;                     // e.g. file stem
  std::filesystem::path plugin_path;  // a built .so
  bool enabled = true;
  // Why there is no plugin to load (e.g. its source does not compile): the
  // pool reports the trader as failed to load with this reason, keeping a
  // previous version that runs, so it shows wherever statuses are shown.
  std::string unavailable = {};
  // A platform trader's filter.indicators[].id (trader_record): a signal
  // keeps its series only when each is a series name. Empty for local files.
  std::vector<std::string> indicator_ids = {};
};

struct trader_status {
  std::string id;
  bool loaded = false;
  bool enabled = true;
  bool quarantined = false;
  std::string reason;  // why quarantined or failed to load
  vyx_timeframe_mask required_timeframes = 0;
  std::uint32_t history_bars = 0;
  std::uint64_t evaluations = 0, matches = 0, faults = 0;
};

struct load_report {
  std::vector<std::string> loaded;
  std::vector<std::pair<std::string, std::string>>
      failed;  // id, reason (old version keeps running)
};

}  // namespace vyx::runtime
