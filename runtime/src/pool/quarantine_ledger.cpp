// Per-trader status and quarantine bookkeeping (see quarantine_ledger.hpp).
#include "pool/quarantine_ledger.hpp"

#include <set>

namespace vyx::runtime {

quarantine_ledger::quarantine_ledger(unsigned quarantine_faults, std::chrono::minutes window)
    : quarantine_faults_(quarantine_faults), window_(window) {}

quarantine_ledger::record& quarantine_ledger::at(const std::string& id) {
  record& rec = records_[id];
  rec.status.id = id;
  return rec;
}

void quarantine_ledger::keep_only(const std::vector<trader_spec>& traders) {
  std::set<std::string> wanted;
  for (const auto& t : traders) {
    wanted.insert(t.id);
    at(t.id).status.enabled = t.enabled;
  }
  for (auto it = records_.begin(); it != records_.end();)
    it = wanted.count(it->first) ? std::next(it) : records_.erase(it);
}

void quarantine_ledger::mark_loaded(const std::string& id, vyx_timeframe_mask required_timeframes,
                                    std::uint32_t history_bars) {
  record& rec = at(id);
  rec.status.loaded = true;
  rec.status.required_timeframes = required_timeframes;
  rec.status.history_bars = history_bars;
}

void quarantine_ledger::mark_running(const std::string& id, const std::filesystem::path& plugin) {
  record& rec = at(id);
  if (rec.plugin == plugin) return;
  rec.status.quarantined = false;
  rec.status.reason.clear();
  rec.fault_times.clear();
  rec.plugin = plugin;
}

void quarantine_ledger::mark_refused(const std::string& id, bool kept, const std::string& reason) {
  record& rec = at(id);
  rec.status.loaded = kept;
  // A quarantine's reason outranks the refusal: it is why the trader is not running.
  if (!rec.status.quarantined)
    rec.status.reason = (kept ? "new version refused, previous kept: " : "") + reason;
}

bool quarantine_ledger::record_fault(const std::string& id, clock::time_point now, outcome what,
                                     const std::string& reason, const std::string& symbol) {
  record& rec = at(id);
  ++rec.status.faults;
  rec.fault_times.push_back(now);
  while (!rec.fault_times.empty() && now - rec.fault_times.front() > window_)
    rec.fault_times.pop_front();
  if (rec.status.quarantined || rec.fault_times.size() < quarantine_faults_) return false;
  rec.status.quarantined = true;
  rec.status.reason = "quarantined after " + std::to_string(rec.fault_times.size()) +
                      " faults within " + std::to_string(window_.count()) +
                      " min; last: " + to_string(what) + ": " + reason +
                      (symbol.empty() ? "" : " on " + symbol);
  return true;
}

bool quarantine_ledger::may_run(const std::string& id) const {
  auto it = records_.find(id);
  return it == records_.end() || (!it->second.status.quarantined && it->second.status.enabled);
}

bool quarantine_ledger::quarantined(const std::string& id) const {
  auto it = records_.find(id);
  return it != records_.end() && it->second.status.quarantined;
}

void quarantine_ledger::count_evaluations(const std::string& id, std::uint64_t evaluations) {
  at(id).status.evaluations += evaluations;
}

void quarantine_ledger::count_match(const std::string& id, std::uint64_t matches) {
  at(id).status.matches += matches;
}

const trader_status& quarantine_ledger::status(const std::string& id) {
  return at(id).status;
}

std::vector<trader_status> quarantine_ledger::statuses() const {
  std::vector<trader_status> out;
  for (const auto& [id, rec] : records_) out.push_back(rec.status);
  return out;
}

}  // namespace vyx::runtime
