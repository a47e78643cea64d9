// vyx-worker: one sandboxed evaluation process of the worker pool. Maps the
// candle store and its progress slot, locks itself down in two stages around
// loading the plugins, then evaluates the ticks the pool sends it.
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <new>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "evaluation/evaluator.hpp"
#include "evaluation/plugin_loader.hpp"
#include "evaluation/plugin_output.hpp"
#include "protocol/progress_slot.hpp"
#include "protocol/worker_exit.hpp"
#include "protocol/worker_protocol.hpp"
#include "sandbox/sandbox.hpp"
#include "sandbox/seccomp_policy.hpp"
#include "vyx/runtime/market/candle_store.hpp"

#if defined(__SANITIZE_ADDRESS__)
// LeakSanitizer's exit-time scan uses ptrace, which the sandbox forbids; and
// a plugin's crash must end the worker with its own signal, as in a normal
// build, not in ASan's report path.
extern "C" const char* __asan_default_options() {
  return "detect_leaks=0:handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:handle_"
         "abort=0";
}
#endif

namespace {

using namespace vyx::runtime;
namespace proto = vyx::runtime::protocol;

progress_slot* g_slot = nullptr;

[[noreturn]] void die(const char* what) {
  // Before lockdown stderr is still ours; the pool sees the exit code.
  (void)!write(2, what, std::strlen(what));
  (void)!write(2, "\n", 1);
  exit_worker(worker_exit::startup_failed);
}

void on_out_of_memory() {
  if (g_slot != nullptr) g_slot->out_of_memory.store(1);
  exit_worker(worker_exit::out_of_memory);
}

struct arguments {
  int store_fd = 3, control_fd = 4, progress_fd = 5;
  std::int64_t tick_budget_ns = 0;  // per trader and tick in this worker, 0 = none
  std::int64_t window_budget_ns = 0;  // per trader, average over window_ticks ticks, 0 = none
  unsigned window_ticks = 0;
  std::uint32_t go_window_bars = 0;  // vyx_market.window_bars, 0 = the platform's 250
  sandbox_limits limits;
  std::vector<std::string> plugins;
};

arguments parse(int argc, char** argv) {
  arguments a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) die("vyx-worker: missing value");
      return argv[++i];
    };
    if (s == "--store-fd")
      a.store_fd = std::atoi(next());
    else if (s == "--control-fd")
      a.control_fd = std::atoi(next());
    else if (s == "--progress-fd")
      a.progress_fd = std::atoi(next());
    else if (s == "--address-space")
      a.limits.address_space = std::strtoull(next(), nullptr, 10);
    else if (s == "--cpu-seconds")
      a.limits.cpu_seconds = std::strtoull(next(), nullptr, 10);
    else if (s == "--tick-budget-ns")
      a.tick_budget_ns = std::strtoll(next(), nullptr, 10);
    else if (s == "--window-budget-ns")
      a.window_budget_ns = std::strtoll(next(), nullptr, 10);
    else if (s == "--window-ticks")
      a.window_ticks = static_cast<unsigned>(std::strtoul(next(), nullptr, 10));
    else if (s == "--go-window-bars")
      a.go_window_bars = static_cast<std::uint32_t>(std::strtoul(next(), nullptr, 10));
    else if (s == "--plugin")
      a.plugins.emplace_back(next());
    else
      die("vyx-worker: unknown argument (it is started by the vyx worker pool)");
  }
  return a;
}

std::uint64_t cpu_ns() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return (static_cast<std::uint64_t>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1'000'000 +
          static_cast<std::uint64_t>(u.ru_utime.tv_usec + u.ru_stime.tv_usec)) *
         1000;
}

// Each trader's time on its last ticks in this worker (by trader index):
// one that stays just under the per-tick budget on every tick is over this
// average, and is charged on each tick it stays over. A trader's first tick
// in a worker is not counted: it builds the indicator states (the warm-up
// round of a new generation, or the first tick of a respawned worker).
class window_budget {
 public:
  window_budget(std::int64_t average_ns, unsigned ticks) : average_ns_(average_ns), ticks_(ticks) {}

  // Records a tick's time; true when the trader's last ticks are over the average.
  bool over(std::uint32_t trader, std::int64_t spent_ns) {
    if (average_ns_ <= 0 || ticks_ == 0) return false;
    const auto [entry, first_tick] = recent_.try_emplace(trader);
    if (first_tick) return false;
    std::deque<std::int64_t>& recent = entry->second;
    recent.push_back(spent_ns);
    if (recent.size() > ticks_) recent.pop_front();
    if (recent.size() < ticks_) return false;
    std::int64_t total = 0;
    for (const std::int64_t t : recent) total += t;
    return total > average_ns_ * static_cast<std::int64_t>(ticks_);
  }

 private:
  std::int64_t average_ns_;
  unsigned ticks_;
  std::unordered_map<std::uint32_t, std::deque<std::int64_t>> recent_;
};

void run_tick(const std::vector<char>& payload, evaluator& ev, int fd,
              std::int64_t tick_budget_ns, window_budget& window) {
  const std::optional<proto::tick_command> command = proto::tick_command::decode(payload);
  if (!command) exit_worker(worker_exit::protocol_error);  // after lockdown: no stderr
  const std::vector<std::uint32_t>& traders = command->traders;

  // Kept across ticks with their capacity: a tick where every symbol matches
  // fills megabytes, which a fresh reply would allocate, fault in and free
  // again each time.
  static proto::tick_reply reply;
  static proto::writer frame(proto::message::tick_result);
  reply.matches.clear();
  reply.values.clear();
  reply.errors.clear();
  reply.evaluations = 0;
  reply.tick_id = command->tick_id;
  g_slot->phase.store(static_cast<std::uint32_t>(worker_phase::evaluating),
                      std::memory_order_relaxed);
  // Each trader's time on this tick, by the watchdog's clock (coarse, but
  // unbiased summed over many calls). Past its budget a trader is skipped
  // for the rest of the tick and reported, so it cannot starve the others.
  // That clock is wall time: a trader is charged at most the CPU time this
  // worker used in the tick, so a worker the machine stalled (a loaded host,
  // the worker descheduled mid-call) does not make its traders faulty. The
  // worker's CPU time is read at the tick's start and end, and when a budget
  // looks passed.
  const std::int64_t cpu_at_start = static_cast<std::int64_t>(cpu_ns());
  auto cpu_in_tick = [&] { return static_cast<std::int64_t>(cpu_ns()) - cpu_at_start; };
  std::vector<std::int64_t> spent(traders.size(), 0);
  std::vector<bool> over(traders.size(), false);
  for (std::uint32_t s = command->begin; s < command->end; ++s) {
    ev.begin_symbol(s, command->now_ms, command->end);
    g_slot->symbol.store(s, std::memory_order_relaxed);
    for (std::size_t k = 0; k < traders.size(); ++k) {
      if (over[k]) continue;
      const std::uint32_t t = traders[k];
      g_slot->trader.store(t, std::memory_order_relaxed);
      const std::int64_t started = watchdog_ns();
      g_slot->started_ns.store(started, std::memory_order_release);
      evaluation e = ev.evaluate(t);
      spent[k] += watchdog_ns() - started;
      ++reply.evaluations;
      if (e.matched)
        reply.add_match(t, s, ev.values(), e.value_count);
      else if (!benign_status(e.status))
        reply.errors.push_back({t, s, e.status});
      if (tick_budget_ns > 0 && spent[k] > tick_budget_ns) {
        spent[k] = std::min(spent[k], cpu_in_tick());
        if (spent[k] > tick_budget_ns) {
          over[k] = true;
          reply.errors.push_back({t, s, static_cast<vyx_status>(verdict_over_budget)});
        }
      }
    }
  }
  g_slot->phase.store(static_cast<std::uint32_t>(worker_phase::idle), std::memory_order_release);
  const std::int64_t tick_cpu = cpu_in_tick();
  if (command->begin < command->end)
    for (std::size_t k = 0; k < traders.size(); ++k)
      if (!over[k] && window.over(traders[k], std::min(spent[k], tick_cpu)))
        reply.errors.push_back(
            {traders[k], command->begin, static_cast<vyx_status>(verdict_over_window_budget)});

  reply.cpu_ns = static_cast<std::uint64_t>(cpu_at_start + tick_cpu);
  reply.encode_into(frame);
  if (!proto::send_frame(fd, frame)) exit_worker(worker_exit::normal);
}

void run_series(const std::vector<char>& payload, evaluator& ev, int fd) {
  const std::optional<proto::series_command> command = proto::series_command::decode(payload);
  if (!command) exit_worker(worker_exit::protocol_error);
  g_slot->trader.store(command->trader);
  g_slot->symbol.store(command->symbol);
  g_slot->started_ns.store(watchdog_ns());
  g_slot->phase.store(static_cast<std::uint32_t>(worker_phase::series));
  proto::series_reply reply{ev.series(command->trader, command->symbol, command->now_ms)};
  g_slot->phase.store(static_cast<std::uint32_t>(worker_phase::idle));
  if (!proto::send_frame(fd, reply.encode())) exit_worker(worker_exit::normal);
}

}  // namespace

int main(int argc, char** argv) {
  arguments args = parse(argc, argv);

  void* slot_memory =
      mmap(nullptr, sizeof(progress_slot), PROT_READ | PROT_WRITE, MAP_SHARED, args.progress_fd, 0);
  if (slot_memory == MAP_FAILED) die("vyx-worker: cannot map the progress slot");
  g_slot = static_cast<progress_slot*>(slot_memory);
  close(args.progress_fd);
  g_slot->trapped_syscall.store(-1);
  install_sigsys_reporter(g_slot);
  std::set_new_handler(on_out_of_memory);

  // Mapped, not read: the data is touched only after the evaluation lockdown.
  candle_store store = candle_store::attach_read_only(args.store_fd);
  close(args.store_fd);

  // Stage 1, before any plugin code runs (constructors, IFUNC resolvers).
  sandbox_policies policies = build_worker_policies(args.control_fd);
  std::string error;
  if (!enter_load_lockdown(args.limits, policies, args.plugins, &error))
    die(("vyx-worker: " + error).c_str());

  // Every plugin is mapped now, while files may be opened; none of its code
  // has run yet (the pool's ELF audit refuses init code and IFUNCs).
  std::vector<plugin_load_result> opened;
  for (std::size_t i = 0; i < args.plugins.size(); ++i) {
    g_slot->trader.store(static_cast<std::uint32_t>(i));
    g_slot->started_ns.store(watchdog_ns());
    g_slot->phase.store(static_cast<std::uint32_t>(worker_phase::loading));
    opened.push_back(plugin_loader::open(args.plugins[i]));
  }
  g_slot->phase.store(static_cast<std::uint32_t>(worker_phase::idle));

  // Stage 2: from here on only the control channel, memory and clocks. The
  // first plugin code (the entry functions) runs only under this policy.
  if (!enter_evaluation_lockdown(policies, &error)) exit_worker(worker_exit::lockdown_failed);

  proto::hello hello;
  std::vector<const vyx_plugin*> descriptors;
  for (std::size_t i = 0; i < opened.size(); ++i) {
    g_slot->trader.store(static_cast<std::uint32_t>(i));
    g_slot->started_ns.store(watchdog_ns());
    g_slot->phase.store(static_cast<std::uint32_t>(worker_phase::loading));
    plugin_loader::describe(opened[i]);
    const vyx_plugin* d = opened[i].ok ? opened[i].plugin.descriptor() : nullptr;
    proto::plugin_info info;
    info.ok = opened[i].ok;
    info.error = opened[i].error;
    if (d != nullptr) {
      info.name = d->name;
      info.required_timeframes = d->required_timeframes;
      info.history_bars = d->history_bars;
      info.max_signal_values = d->max_signal_values;
      info.has_series = d->series != nullptr;
    }
    hello.plugins.push_back(std::move(info));
    descriptors.push_back(d);
  }
  g_slot->phase.store(static_cast<std::uint32_t>(worker_phase::idle));

  // Evaluator indices are the pool's plugin indices; failed slots get a
  // stand-in the pool never schedules.
  static const vyx_plugin absent = [] {
    vyx_plugin p{};
    p.struct_size = sizeof p;
    p.abi_version = VYX_ABI_VERSION;
    p.name = "";
    p.filter = [](const vyx_market*, vyx_filter_output*) -> vyx_status { return VYX_ERR_INTERNAL; };
    return p;
  }();
  for (auto& d : descriptors)
    if (d == nullptr) d = &absent;
  evaluator ev(store, descriptors, args.go_window_bars);

  if (!proto::send_frame(args.control_fd, hello.encode())) exit_worker(worker_exit::normal);

  std::vector<char> payload;
  window_budget window(args.window_budget_ns, args.window_ticks);
  while (proto::receive_frame(args.control_fd, payload)) {
    const auto type = proto::type_of(payload);
    if (!type || *type == proto::message::quit) break;
    if (*type == proto::message::tick)
      run_tick(payload, ev, args.control_fd, args.tick_budget_ns, window);
    else if (*type == proto::message::series)
      run_series(payload, ev, args.control_fd);
    else
      exit_worker(worker_exit::protocol_error);
  }
  // No destructors: plugin code must not run again (static destructors of a
  // plugin would run under dlclose).
  exit_worker(worker_exit::normal);
}
