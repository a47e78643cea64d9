// The machine API's trader_control over a running screening (`vyx run`):
// start/stop change the trader set the scheduler loads at the next tick
// boundary (a stopped trader is handed to the pool disabled), reload asks
// for the sources anew, and execute-immediate requests are queued for the
// screening thread, which runs them between ticks (the pool is not shared
// between threads).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "vyx/runtime/api/trader_control.hpp"
#include "vyx/runtime/market/candle_store.hpp"
#include "vyx/runtime/pool/trader_status.hpp"
#include "vyx/runtime/pool/worker_pool.hpp"
#include "vyx/runtime/screening/scheduler.hpp"

namespace vyx::runtime::api {

class event_stream;

struct screening_hooks {
  // Hands a trader set to the scheduler (thread-safe: scheduler::request_reload).
  std::function<void(std::vector<trader_spec>)> request_reload;
  // Re-reads (recompiles) the sources and calls screening_control::request_reload
  // with the result, on a thread of the caller's; null = reload the set as it is.
  std::function<void()> rescan;
};

class screening_control final : public trader_control {
 public:
  // `owner`: USER_ID, the user_id every trader reports.
  screening_control(std::string owner, screening_hooks hooks,
                    std::chrono::milliseconds execute_wait = std::chrono::seconds(65));
  ~screening_control() override;

  // Every trader set of the run goes through here: remembered, stopped
  // traders disabled, then handed on. Any thread.
  void request_reload(std::vector<trader_spec> specs);
  // The pool's statuses and the scheduler's totals after a tick (screening thread).
  void publish(const std::vector<trader_status>& statuses,
               const std::map<std::string, trader_totals>& totals);
  // Runs the execute-immediate requests waiting, against the store as it is
  // (screening thread, between ticks). `close_ms`: the last tick's close.
  void serve_pending(worker_pool& pool, const candle_store& store, std::int64_t close_ms);
  // As serve_pending, but first waits up to `wait` for a request (the
  // screening thread's idle loop once a replay ended).
  void serve_for(std::chrono::milliseconds wait, worker_pool& pool, const candle_store& store,
                 std::int64_t close_ms);
  // Ends the queue: waiting and later requests answer busy.
  void close();
  // From now on publish() reports each trader's state changes (status events:
  // running, stopped, error...) and new faults (error events) to `stream`,
  // which must outlive this. Before screening starts.
  void attach_stream(event_stream* stream);

  std::vector<trader_view> traders() override;
  std::optional<trader_view> trader(const std::string& id) override;
  control_outcome start(const std::string& id, std::string& error) override;
  control_outcome stop(const std::string& id, std::string& error) override;
  control_outcome reload(const std::string& id, std::string& error) override;
  control_outcome execute_immediate(const std::string& id, immediate_result& result,
                                    std::string& error) override;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace vyx::runtime::api
