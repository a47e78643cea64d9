// What the pool knows of each trader across generations: its status and
// counters, the plugin file it last ran, and the faults that may quarantine
// it. Pure bookkeeping: the time of each fault is passed in, so tests set it.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "vyx/runtime/evaluation/results.hpp"
#include "vyx/runtime/pool/trader_status.hpp"

namespace vyx::runtime {

class quarantine_ledger {
 public:
  using clock = std::chrono::steady_clock;

  // quarantine_faults faults within window quarantine a trader.
  quarantine_ledger(unsigned quarantine_faults, std::chrono::minutes window);

  // The traders a load() asks for: each gets a record (enabled as asked),
  // every other trader is forgotten.
  void keep_only(const std::vector<trader_spec>& traders);
  // A trader whose plugin is in the new generation (its own or a kept previous version).
  void mark_loaded(const std::string& id, vyx_timeframe_mask required_timeframes,
                   std::uint32_t history_bars);
  // The plugin a trader runs from now on. New code: its predecessor's faults
  // are not held against it (quarantine, reason and window cleared).
  void mark_running(const std::string& id, const std::filesystem::path& plugin);
  // Its new version was refused: `kept` says whether a previous one still runs.
  void mark_refused(const std::string& id, bool kept, const std::string& reason);

  // Charges a fault at time `now`, forgetting faults older than the window.
  // True when this fault quarantined the trader (status().reason says why).
  bool record_fault(const std::string& id, clock::time_point now, outcome what,
                    const std::string& reason, const std::string& symbol);

  // A trader that was never recorded may run: it has no faults.
  bool may_run(const std::string& id) const;
  bool quarantined(const std::string& id) const;
  void count_evaluations(const std::string& id, std::uint64_t evaluations);
  void count_match(const std::string& id, std::uint64_t matches = 1);

  const trader_status& status(const std::string& id);
  std::vector<trader_status> statuses() const;  // by id

 private:
  struct record {
    trader_status status;
    std::filesystem::path plugin;
    std::deque<clock::time_point> fault_times;  // within the window, oldest first
  };
  record& at(const std::string& id);

  unsigned quarantine_faults_;
  std::chrono::minutes window_;
  std::map<std::string, record> records_;
};

}  // namespace vyx::runtime
