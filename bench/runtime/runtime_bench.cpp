// The runtime's performance benchmark (issue 4): live-style ticks over the
// peers' dataset through the whole sandboxed path and in-process, tick
// latency, worker respawn and hot-reload times, resident memory, and the
// peers' figures from the same run beside ours.
//
//   runtime_bench --data FILE --trader T1=T1.so ... [--ticks 100] [--workers 2] [--replicate K]
//                 [--crash attack.so] [--skip-inprocess] [--peers RESULTS_DIR] [--min-capacity 500]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <stdexcept>
#include <string>
#include <vector>

#include "dataset_stream.hpp"
#include "live_store.hpp"
#include "peer_results.hpp"
#include "process_memory.hpp"
#include "vyx/runtime/market/candle_store.hpp"
#include "vyx/runtime/pool/worker_pool.hpp"

namespace {

using namespace vyx::runtime;
using vyx::bench::append_bar;
using vyx::bench::capacity_for;
using vyx::bench::dataset_stream;
using vyx::bench::make_store;
using clock_type = std::chrono::steady_clock;

double ms_between(clock_type::time_point a, clock_type::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t i =
      std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5));
  return v[i];
}

struct run_figures {
  double evals_per_s = 0, tick_p50_ms = 0, tick_p99_ms = 0, tick_max_ms = 0, load_ms = 0;
  std::uint64_t evaluations = 0, matches = 0, faults = 0;
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> signals;  // per tick
  std::vector<vyx::bench::process_memory> memory;  // main first, then the workers
  double cpu_ns_per_eval = 0;  // this thread's CPU time (in-process: everything) per evaluation
};

// Preloads bars - ticks bars, loads the traders (which warms their indicator
// states), then each tick appends one candle per symbol and timeframe and
// evaluates every trader: the latency is append + evaluate + results.
run_figures live_run(const dataset_stream& d, std::uint32_t capacity,
                     const std::vector<trader_spec>& traders, const worker_pool_options& options,
                     std::size_t ticks) {
  const std::size_t preload = d.bars() - ticks;
  auto store = make_store(d, capacity, preload);
  worker_pool pool(store, options);
  const auto l0 = clock_type::now();
  auto report = pool.load(traders);
  run_figures f;
  f.load_ms = ms_between(l0, clock_type::now());
  for (auto& [id, why] : report.failed)
    std::fprintf(stderr, "load failed: %s: %s\n", id.c_str(), why.c_str());
  std::vector<double> latency;
  std::vector<candle> bar;
  // This thread's CPU time: with the pool in-process it is all the work, and
  // unlike wall time it does not grow when other processes share the cores.
  timespec c0{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);

  for (std::size_t b = preload; b < d.bars(); ++b) {
    d.read_bar(b, bar);
    const std::int64_t close = d.close_time(b);
    const auto t0 = clock_type::now();
    append_bar(store, d, bar);
    auto r = pool.run_tick({close, d.timeframe_mask()});
    latency.push_back(ms_between(t0, clock_type::now()));
    f.evaluations += r.evaluations;
    f.matches += r.matches.size();
    f.faults += r.faults.size();
    std::vector<std::pair<std::uint32_t, std::uint32_t>> sig;
    for (const auto& m : r.matches) sig.emplace_back(m.trader_index, m.symbol_index);
    f.signals.push_back(std::move(sig));
  }
  timespec c1{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
  const double cpu_ns =
      (c1.tv_sec - c0.tv_sec) * 1e9 + static_cast<double>(c1.tv_nsec - c0.tv_nsec);
  f.cpu_ns_per_eval = f.evaluations == 0 ? 0 : cpu_ns / static_cast<double>(f.evaluations);
  double total_ms = 0;
  for (double ms : latency) total_ms += ms;
  f.evals_per_s = static_cast<double>(f.evaluations) / (total_ms / 1000);
  f.tick_p50_ms = percentile(latency, 0.5);
  f.tick_p99_ms = percentile(latency, 0.99);
  f.tick_max_ms = percentile(latency, 1.0);
  f.memory = vyx::bench::memory_of_self_and_children("vyx-worker");
  return f;
}

void print_memory(const std::vector<vyx::bench::process_memory>& memory) {
  long rss = 0, pss = 0;
  for (const auto& m : memory) {
    rss += m.rss_kb;
    pss += m.pss_kb;
  }
  std::printf(
      "memory      : main + %zu workers: RSS %.1f MB, PSS %.1f MB (PSS counts each shared page "
      "once)\n",
      memory.size() - 1, rss / 1024.0, pss / 1024.0);
  for (const auto& m : memory)
    std::printf(
        "              %-12s RSS %5.1f MB  PSS %5.1f MB  (anonymous %5.1f, candle store shm %5.1f, "
        "files %4.1f)\n",
        m.name.c_str(), m.rss_kb / 1024.0, m.pss_kb / 1024.0, m.anonymous_kb / 1024.0,
        m.shmem_kb / 1024.0, m.file_kb / 1024.0);
}

void print_peers(const std::string& dir, double ours_evals_per_s, double ours_cpu_ns_per_eval) {
  std::string error;
  auto run = vyx::bench::peers::read_peer_run(dir, error);
  if (!run) {
    std::printf("peers       : not read: %s\n", error.c_str());
    return;
  }
  std::printf(
      "peers       : %s (%zu symbols x %zu bars, seed %llu, verify %s), each recomputes from the "
      "whole history\n",
      dir.c_str(), run->symbols, run->bars, static_cast<unsigned long long>(run->seed),
      run->verify_status.c_str());
  for (const auto& p : run->results)
    std::printf("              %-22s %10.0f evaluations/s  %10.0f ns/eval  peak RSS %5.1f MB\n",
                p.harness.c_str(), p.evals_per_s, p.ns_per_eval,
                static_cast<double>(p.peak_rss_kb) / 1024.0);
  if (const auto* cpp = run->find("cpp-O2"); cpp != nullptr && cpp->evals_per_s > 0)
    std::printf("ours / cpp-O2: %.1fx (target >= 2x)\n", ours_evals_per_s / cpp->evals_per_s);
  // The platform's pattern today: a fresh Yaegi interpreter per evaluation.
  if (const auto* deployed = run->find("go-yaegi-deployed");
      deployed != nullptr && deployed->evals_per_s > 0)
    std::printf(
        "ours / go-yaegi-deployed: %.0fx (target for translated Go traders >= 1000x); one core "
        "against one core (our in-process CPU per evaluation): %.0fx\n",
        ours_evals_per_s / deployed->evals_per_s,
        ours_cpu_ns_per_eval > 0 ? deployed->ns_per_eval / ours_cpu_ns_per_eval : 0.0);
}

}  // namespace

int main(int argc, char** argv) try {
  std::string data_path, crash_plugin, peers_dir;
  std::vector<trader_spec> traders;
  std::size_t ticks = 100, replicate = 1;
  std::uint32_t min_capacity = 500;
  unsigned workers = 2;
  bool inprocess = true;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error("missing value for " + a);
      return argv[++i];
    };
    if (a == "--data")
      data_path = next();
    else if (a == "--trader") {
      std::string v = next();
      auto eq = v.find('=');
      if (eq == std::string::npos) throw std::runtime_error("--trader wants ID=PLUGIN.so");
      traders.push_back({v.substr(0, eq), v.substr(eq + 1), true});
    } else if (a == "--ticks")
      ticks = std::stoul(next());
    else if (a == "--workers")
      workers = static_cast<unsigned>(std::stoul(next()));
    else if (a == "--replicate")
      replicate = std::stoul(next());
    else if (a == "--crash")
      crash_plugin = next();
    else if (a == "--skip-inprocess")
      inprocess = false;
    else if (a == "--peers")
      peers_dir = next();
    else if (a == "--min-capacity")
      min_capacity = static_cast<std::uint32_t>(std::stoul(next()));
    else
      throw std::runtime_error("unknown argument " + a);
  }
  if (data_path.empty() || traders.empty())
    throw std::runtime_error("--data and at least one --trader are required");
  std::string command;
  for (int i = 0; i < argc; ++i) command += std::string(i ? " " : "") + argv[i];

  const dataset_stream d(data_path);
  if (ticks + 21 >= d.bars()) ticks = d.bars() / 5;
  std::vector<trader_spec> set;
  for (std::size_t k = 0; k < replicate; ++k)
    for (const auto& t : traders)
      set.push_back({replicate > 1 ? t.id + "_" + std::to_string(k) : t.id, t.plugin_path, true});

  worker_pool_options sandboxed;
  sandboxed.min_workers = sandboxed.max_workers = workers;
  std::uint32_t longest = 0;
  const std::uint32_t capacity = capacity_for(traders, d.timeframe_mask(), min_capacity, &longest);
  std::printf(
      "runtime_bench: %zu symbols x %zu bars (%zu timeframes), %zu traders, %zu live ticks, %u "
      "workers\n",
      d.symbols(), d.bars(), d.timeframes(), set.size(), ticks, workers);
  std::printf(
      "store       : capacity %u candles per symbol and timeframe (longest trader history %u, at "
      "least %u)\n",
      capacity, longest, min_capacity);

  const run_figures sb = live_run(d, capacity, set, sandboxed, ticks);
  std::printf(
      "sandboxed   : %10.0f evaluations/s  tick p50 %.2f ms p99 %.2f ms max %.2f ms  (%llu evals, "
      "%llu matches, %llu faults; load() %.1f ms)\n",
      sb.evals_per_s, sb.tick_p50_ms, sb.tick_p99_ms, sb.tick_max_ms,
      static_cast<unsigned long long>(sb.evaluations), static_cast<unsigned long long>(sb.matches),
      static_cast<unsigned long long>(sb.faults), sb.load_ms);
  print_memory(sb.memory);
  double ip_cpu_ns_per_eval = 0;
  if (inprocess) {
    worker_pool_options local;
    local.sandbox = false;
    const run_figures ip = live_run(d, capacity, set, local, ticks);
    ip_cpu_ns_per_eval = ip.cpu_ns_per_eval;
    std::printf(
        "in-process  : %10.0f evaluations/s  tick p50 %.2f ms p99 %.2f ms  cpu %.0f ns/eval  (1 "
        "thread, no isolation)\n",
        ip.evals_per_s, ip.tick_p50_ms, ip.tick_p99_ms, ip.cpu_ns_per_eval);
    std::printf("same signals sandboxed vs in-process: %s\n",
                ip.signals == sb.signals ? "yes" : "NO");
  }

  // Respawn: a trader that divides by zero on one symbol every tick.
  if (!crash_plugin.empty()) {
    auto store = make_store(d, capacity, d.bars());
    worker_pool_options o = sandboxed;
    o.quarantine_faults = 1u << 30;
    worker_pool pool(store, o);
    pool.load({{"T1", traders.at(0).plugin_path, true}, {"crash", crash_plugin, true}});
    for (int i = 0; i < 60; ++i) pool.run_tick({d.close_time(d.bars() - 1), d.timeframe_mask()});
    std::vector<double> ms;
    for (auto ns : pool.metrics().recent_respawns)
      ms.push_back(std::chrono::duration<double, std::milli>(ns).count());
    std::printf("respawn     : %zu respawns, p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", ms.size(),
                percentile(ms, 0.5), percentile(ms, 0.99), percentile(ms, 1.0));
  }

  // Hot reload, live-style: load() of the whole set (new workers, plugins
  // loaded, indicator states warmed), then the next tick appends a bar and
  // switches to the new generation.
  {
    constexpr int reloads = 20;
    const std::size_t first = d.bars() - reloads - 1;
    auto store = make_store(d, capacity, first);
    worker_pool pool(store, sandboxed);
    pool.load(set);
    std::vector<candle> bar;
    d.read_bar(first, bar);
    append_bar(store, d, bar);
    pool.run_tick({d.close_time(first), d.timeframe_mask()});
    std::vector<double> load_ms, tick_ms, total_ms, spawn_ms, warm_ms;
    const auto generation0 = pool.metrics().generation;
    for (int i = 0; i < reloads; ++i) {
      const std::size_t b = first + 1 + static_cast<std::size_t>(i);
      d.read_bar(b, bar);
      const auto t0 = clock_type::now();
      pool.load(set);
      const auto t1 = clock_type::now();
      append_bar(store, d, bar);
      pool.run_tick({d.close_time(b), d.timeframe_mask()});
      const auto t2 = clock_type::now();
      load_ms.push_back(ms_between(t0, t1));
      spawn_ms.push_back(
          std::chrono::duration<double, std::milli>(pool.metrics().last_spawn).count());
      warm_ms.push_back(
          std::chrono::duration<double, std::milli>(pool.metrics().last_warm).count());
      tick_ms.push_back(ms_between(t1, t2));
      total_ms.push_back(ms_between(t0, t2));
    }
    const auto switched = pool.metrics().generation - generation0;
    std::printf(
        "hot reload  : %llu switches; load() p50 %.1f ms max %.1f ms; next tick p50 %.2f ms max "
        "%.2f ms; load() + next tick p50 %.1f ms max %.1f ms\n",
        static_cast<unsigned long long>(switched), percentile(load_ms, 0.5),
        percentile(load_ms, 1.0), percentile(tick_ms, 0.5), percentile(tick_ms, 1.0),
        percentile(total_ms, 0.5), percentile(total_ms, 1.0));
    std::printf("              load() = start workers p50 %.1f ms + warm-up p50 %.1f ms\n",
                percentile(spawn_ms, 0.5), percentile(warm_ms, 0.5));
  }
  if (!peers_dir.empty()) print_peers(peers_dir, sb.evals_per_s, ip_cpu_ns_per_eval);
  std::printf("command     : %s\n", command.c_str());
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "runtime_bench: %s\n", e.what());
  return 1;
}
