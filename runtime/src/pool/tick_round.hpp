// One round of a generation's workers over their symbol ranges: each gets
// its share of the symbols, the replies are collected, the watchdog kills an
// evaluation past its deadline, and every death is pinned on the trader that
// caused it, while every other trader's results still arrive.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "pool/worker_process.hpp"
#include "vyx/runtime/evaluation/results.hpp"
#include "vyx/runtime/pool/trader_status.hpp"

namespace vyx::runtime {

struct pool_context;

// Where a round gets a replacement for a worker that died.
class worker_source {
 public:
  // A replacement counted in the pool's respawn metrics.
  virtual std::unique_ptr<worker_process> respawn(worker_death* why) = 0;
  // One that is part of load()'s spawning, like a generation's first workers.
  virtual std::unique_ptr<worker_process> spawn(worker_death* why) = 0;

 protected:
  ~worker_source() = default;
};

class tick_round {
 public:
  // A warm-up round (load(), before the switch) builds the new workers'
  // indicator states so that their first tick costs what any other does; its
  // results are dropped and a worker that dies in it is replaced without a
  // fault being recorded: the trader meets the same data again on the next
  // tick, where a fault counts as usual.
  enum class kind { tick, warm_up };

  tick_round(pool_context& context, const std::vector<trader_spec>& specs,
             std::vector<std::unique_ptr<worker_process>>& workers, worker_source& source,
             kind what);

  // Runs `active` over every symbol. Faults go into result.faults (and the
  // ledger); a trader that faulted goes into `excluded`.
  void run(std::uint64_t tick_id, const std::vector<std::uint32_t>& active,
           const tick_request& request, tick_result& result, std::set<std::uint32_t>& excluded);

 private:
  using clock = std::chrono::steady_clock;
  struct job {
    std::uint32_t begin = 0, end = 0;  // symbols
    bool done = false;
    bool in_flight = false;
    unsigned unpinned_failures = 0;
    clock::time_point sent;
  };
  // A status a worker reported: (trader, symbol, status).
  using reported_error = std::tuple<std::uint32_t, std::uint32_t, vyx_status>;

  bool send_jobs(const tick_request& request);
  void collect();
  bool take_reply(std::size_t w, const std::vector<char>& payload);
  void watch_deadlines(const std::vector<std::size_t>& in_flight);
  void handle_death(std::size_t w, const worker_death& death);
  void abandon_in_flight(const std::string& reason);
  void fault_traders_left(const std::string& reason);
  void charge_reported_errors();

  pool_context& context_;
  const std::vector<trader_spec>& specs_;
  std::vector<std::unique_ptr<worker_process>>& workers_;
  worker_source& source_;
  const bool warm_up_;
  // Past the deadline by the watchdog clock's resolution: never early.
  const std::int64_t deadline_ns_;
  // A worker that stays silent this long while not evaluating is stuck outside any trader.
  const std::chrono::nanoseconds silent_limit_;

  // This round's state.
  std::uint64_t tick_id_ = 0;
  const std::vector<std::uint32_t>* active_ = nullptr;
  tick_result* result_ = nullptr;
  std::set<std::uint32_t>* excluded_ = nullptr;
  std::vector<job> jobs_;
  std::vector<reported_error> errors_;
};

}  // namespace vyx::runtime
