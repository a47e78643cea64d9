// The pool's handle on one vyx-worker process: spawning it (fork + exec with
// the store's read-only memfd, a socketpair and its progress slot), reading
// its hello, and turning the way it died into a named outcome.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "protocol/progress_slot.hpp"
#include "protocol/worker_protocol.hpp"
#include "vyx/runtime/pool/worker_pool.hpp"

namespace vyx::runtime {

using protocol::plugin_info;

struct spawn_config {
  std::filesystem::path executable;
  int store_fd = -1;  // read-only
  std::vector<std::filesystem::path> plugins;
  std::uint64_t address_space = 0;
  std::uint64_t cpu_seconds = 600;
  std::chrono::milliseconds load_deadline{5000};
  std::int64_t tick_budget_ns = 0;  // per trader and tick, 0 = none
  std::int64_t window_budget_ns = 0;  // per trader, average over window_ticks ticks, 0 = none
  unsigned window_ticks = 0;
  std::uint32_t go_window_bars = 0;  // vyx_market.window_bars, 0 = the platform's 250
};

// How a worker ended, pinned where possible on the plugin it was running.
struct worker_death {
  outcome what = outcome::internal_error;
  std::string reason;
  bool pinned = false;
  std::uint32_t trader = 0;  // plugin index, when pinned
  std::uint32_t symbol = 0;
  worker_phase phase = worker_phase::starting;
};

class worker_process {
 public:
  // Starts the worker and waits for its hello (plugins loaded, locked down).
  // On failure returns null and fills *death (e.g. a constructor's violation).
  static std::unique_ptr<worker_process> spawn(const spawn_config& config,
                                               std::vector<plugin_info>* plugins,
                                               worker_death* death);
  // The two halves of spawn(), so that several workers start at once:
  // start() forks and execs; await_hello() waits for it to be ready (false
  // and *death filled if it died or missed the load deadline).
  static std::unique_ptr<worker_process> start(const spawn_config& config, worker_death* death);
  bool await_hello(const spawn_config& config, std::vector<plugin_info>* plugins,
                   worker_death* death);
  ~worker_process();  // asks it to quit, then kills and reaps it

  pid_t pid() const { return pid_; }
  int fd() const { return fd_; }
  progress_slot& slot() { return *slot_; }
  protocol::frame_buffer& buffer() { return buffer_; }
  std::uint64_t cpu_ns = 0;  // last reported CPU time

  // SIGKILL, reap, and describe. `timed_out` marks a watchdog kill.
  worker_death kill_and_reap(bool timed_out, std::chrono::milliseconds deadline);
  // The worker already closed its end: reap and describe.
  worker_death reap();

  bool send(const protocol::writer& w);
  // Sends quit without waiting: a retired generation's workers exit while
  // the next tick runs, and the destructor later only reaps them.
  void ask_to_quit();
  // SIGKILL without waiting for the exit (a retired worker's teardown of its
  // mappings takes milliseconds); try_reap() collects it later and is true
  // once it is gone, after which the destructor does not wait.
  void kill_without_reaping();
  bool try_reap();

 private:
  worker_process() = default;
  worker_death describe(int status, bool timed_out, std::chrono::milliseconds deadline);

  std::chrono::steady_clock::time_point started_;
  pid_t pid_ = -1;
  int fd_ = -1;
  progress_slot* slot_ = nullptr;
  bool reaped_ = false;
  protocol::frame_buffer buffer_;
};

std::filesystem::path default_worker_executable();

}  // namespace vyx::runtime
