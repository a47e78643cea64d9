// What the machine API needs from the running screening: the traders with
// their status, and start/stop/reload/execute-immediate on one of them.
// `vyx run` implements it over its scheduler and pool; tests can fake it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vyx::runtime::api {

// The platform's TraderStatus (PLATFORM.md). Times are Unix ms, 0 = absent.
struct trader_view {
  std::string id, user_id, name;
  std::string state;  // stopped | starting | running | stopping | error
  std::string last_error;
  std::int64_t started_at_ms = 0, stopped_at_ms = 0, last_run_at_ms = 0;
  std::uint64_t signal_count = 0;
};

struct immediate_signal {
  std::string symbol;
  std::string interval;  // e.g. "1m"
  std::int64_t timestamp_ms = 0;
  double price = 0;
};

struct immediate_result {
  std::int64_t timestamp_ms = 0;
  std::size_t total_symbols = 0;
  std::vector<immediate_signal> signals;
  double execution_ms = 0;
};

// busy: 503 (try again), conflict: 409 (e.g. execute-immediate on a stopped trader).
enum class control_outcome { done, unknown_trader, busy, conflict, failed };

class trader_control {
 public:
  virtual ~trader_control() = default;
  virtual std::vector<trader_view> traders() = 0;
  virtual std::optional<trader_view> trader(const std::string& id) = 0;
  // stop: not evaluated from the next tick; start: evaluated again; reload:
  // recompile/reload its plugin. `error` says why on failed/busy.
  virtual control_outcome start(const std::string& id, std::string& error) = 0;
  virtual control_outcome stop(const std::string& id, std::string& error) = 0;
  virtual control_outcome reload(const std::string& id, std::string& error) = 0;
  // Screens the one trader over the current symbols now.
  virtual control_outcome execute_immediate(const std::string& id, immediate_result& result,
                                            std::string& error) = 0;
};

}  // namespace vyx::runtime::api
