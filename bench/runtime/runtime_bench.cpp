// The runtime's performance benchmark (issue 4): live-style ticks over the
// peers' dataset through the whole sandboxed path and in-process, tick
// latency, worker respawn and hot-reload times, and resident memory.
//
//   runtime_bench --data FILE --trader T1=T1.so ... [--ticks 100] [--workers 2]
//                 [--replicate K] [--crash attack.so] [--skip-inprocess]
#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "vyx/runtime/candle_store.hpp"
#include "vyx/runtime/worker_pool.hpp"

namespace {

using namespace vyx::runtime;
using clock_type = std::chrono::steady_clock;

struct dataset {
  std::uint32_t symbols = 0, bars = 0, timeframes = 0;
  std::vector<std::string> names;
  std::vector<candle> data;  // [symbol][tf][bar]
  const candle& at(std::size_t s, std::size_t t, std::size_t b) const { return data[(s * timeframes + t) * bars + b]; }
};

dataset read_dataset(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  char magic[8];
  std::uint32_t hdr[4];
  std::uint64_t seed;
  in.read(magic, 8);
  in.read(reinterpret_cast<char*>(hdr), sizeof hdr);
  in.read(reinterpret_cast<char*>(&seed), sizeof seed);
  if (!in || std::memcmp(magic, "TRDPERF1", 8) != 0 || hdr[3] != 10) throw std::runtime_error("bad dataset " + path);
  dataset d;
  d.symbols = hdr[0];
  d.bars = hdr[1];
  d.timeframes = hdr[2];
  in.ignore(8 * d.timeframes);
  for (std::uint32_t s = 0; s < d.symbols; ++s) {
    char name[16];
    in.read(name, 16);
    d.names.emplace_back(name, strnlen(name, 16));
  }
  d.data.resize(static_cast<std::size_t>(d.symbols) * d.timeframes * d.bars);
  for (auto& c : d.data) {
    std::int64_t f[10];
    in.read(reinterpret_cast<char*>(f), sizeof f);
    auto dbl = [&](int i) {
      double x;
      std::memcpy(&x, &f[i], 8);
      return x;
    };
    c.open_time = f[0];
    c.close_time = f[1];
    c.open = dbl(2);
    c.high = dbl(3);
    c.low = dbl(4);
    c.close = dbl(5);
    c.volume = dbl(6);
    c.taker_buy_base_volume = dbl(7);
    c.quote_volume = dbl(8);
    c.trades = f[9];
  }
  if (!in) throw std::runtime_error("short dataset " + path);
  return d;
}

// The dataset's timeframes are 1m, 5m, 1h in file order.
constexpr vyx_timeframe file_tf[3] = {VYX_TF_1M, VYX_TF_5M, VYX_TF_1H};

candle_store make_store(const dataset& d, std::size_t preload) {
  candle_store_layout layout;
  layout.symbols = d.names;
  layout.timeframes = (1u << VYX_TF_1M) | (1u << VYX_TF_5M) | (1u << VYX_TF_1H);
  // Room for the whole dataset: the rings never wrap during the run (the
  // wrap-time anchor rebuilds are spread over ticks in production).
  layout.capacity = std::max<std::uint32_t>(512, d.bars + 12);
  auto store = candle_store::create(layout);
  for (std::size_t s = 0; s < d.symbols; ++s)
    for (std::size_t t = 0; t < 3; ++t)
      for (std::size_t b = 0; b < preload; ++b) store.append(s, file_tf[t], d.at(s, t, b));
  return store;
}

void append_bar(candle_store& store, const dataset& d, std::size_t b) {
  for (std::size_t s = 0; s < d.symbols; ++s)
    for (std::size_t t = 0; t < 3; ++t) store.append(s, file_tf[t], d.at(s, t, b));
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t i = std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5));
  return v[i];
}

// Resident and proportional memory of this process and its children (the workers), in kB.
std::pair<long, long> memory_kb() {
  long rss = 0, pss = 0;
  auto add = [&](const std::string& pid) {
    std::ifstream st("/proc/" + pid + "/smaps_rollup");
    std::string line;
    long value = 0;
    while (std::getline(st, line)) {
      if (std::sscanf(line.c_str(), "Rss: %ld", &value) == 1) rss += value;
      if (std::sscanf(line.c_str(), "Pss: %ld", &value) == 1) pss += value;
    }
  };
  const std::string self = std::to_string(getpid());
  add(self);
  if (DIR* dir = opendir("/proc")) {
    while (dirent* e = readdir(dir)) {
      if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
      std::ifstream st(std::string("/proc/") + e->d_name + "/stat");
      std::string line;
      std::getline(st, line);
      auto close = line.rfind(')');
      if (close == std::string::npos) continue;
      char state;
      long ppid = 0;
      if (std::sscanf(line.c_str() + close + 1, " %c %ld", &state, &ppid) == 2 && std::to_string(ppid) == self)
        add(e->d_name);
    }
    closedir(dir);
  }
  return {rss, pss};
}

struct run_figures {
  double evals_per_s = 0, tick_p50_ms = 0, tick_p99_ms = 0, tick_max_ms = 0;
  std::uint64_t evaluations = 0, matches = 0, faults = 0;
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> signals;  // per tick
  long rss_kb = 0, pss_kb = 0;
};

run_figures live_run(const dataset& d, const std::vector<trader_spec>& traders, worker_pool_options options,
                     std::size_t ticks) {
  const std::size_t preload = d.bars - ticks;
  auto store = make_store(d, preload);
  worker_pool pool(store, options);
  auto report = pool.load(traders);
  for (auto& [id, why] : report.failed) std::fprintf(stderr, "load failed: %s: %s\n", id.c_str(), why.c_str());
  const vyx_timeframe_mask all = (1u << VYX_TF_1M) | (1u << VYX_TF_5M) | (1u << VYX_TF_1H);
  // One warm-up tick on the preloaded window builds every indicator state.
  pool.run_tick({d.at(0, 0, preload - 1).close_time, all});
  run_figures f;
  std::vector<double> latency;
  double busy = 0;
  for (std::size_t b = preload; b < d.bars; ++b) {
    const auto t0 = clock_type::now();
    append_bar(store, d, b);
    auto r = pool.run_tick({d.at(0, 0, b).close_time, all});
    const double ms = std::chrono::duration<double, std::milli>(clock_type::now() - t0).count();
    latency.push_back(ms);
    busy += std::chrono::duration<double>(r.elapsed).count();
    f.evaluations += r.evaluations;
    f.matches += r.matches.size();
    f.faults += r.faults.size();
    std::vector<std::pair<std::uint32_t, std::uint32_t>> sig;
    for (const auto& m : r.matches) sig.emplace_back(m.trader_index, m.symbol_index);
    f.signals.push_back(std::move(sig));
  }
  f.evals_per_s = static_cast<double>(f.evaluations) / busy;
  f.tick_p50_ms = percentile(latency, 0.5);
  f.tick_p99_ms = percentile(latency, 0.99);
  f.tick_max_ms = percentile(latency, 1.0);
  std::tie(f.rss_kb, f.pss_kb) = memory_kb();
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data_path, crash_plugin;
  std::vector<trader_spec> traders;
  std::size_t ticks = 100, replicate = 1;
  unsigned workers = 2;
  bool inprocess = true;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error("missing value for " + a);
      return argv[++i];
    };
    if (a == "--data") data_path = next();
    else if (a == "--trader") {
      std::string v = next();
      auto eq = v.find('=');
      traders.push_back({v.substr(0, eq), v.substr(eq + 1), true});
    } else if (a == "--ticks") ticks = std::stoul(next());
    else if (a == "--workers") workers = static_cast<unsigned>(std::stoul(next()));
    else if (a == "--replicate") replicate = std::stoul(next());
    else if (a == "--crash") crash_plugin = next();
    else if (a == "--skip-inprocess") inprocess = false;
    else throw std::runtime_error("unknown argument " + a);
  }
  std::string command;
  for (int i = 0; i < argc; ++i) command += std::string(i ? " " : "") + argv[i];

  const dataset d = read_dataset(data_path);
  if (ticks >= d.bars) ticks = d.bars / 5;
  std::vector<trader_spec> set;
  for (std::size_t k = 0; k < replicate; ++k)
    for (const auto& t : traders) set.push_back({replicate > 1 ? t.id + "_" + std::to_string(k) : t.id, t.plugin_path, true});

  worker_pool_options sandboxed;
  sandboxed.min_workers = sandboxed.max_workers = workers;
  std::printf("runtime_bench: %u symbols x %u bars (1m/5m/1h), %zu traders, %zu live ticks, %u workers\n", d.symbols,
              d.bars, set.size(), ticks, workers);
  const run_figures sb = live_run(d, set, sandboxed, ticks);
  std::printf("sandboxed   : %10.0f evaluations/s  tick p50 %.2f ms p99 %.2f ms max %.2f ms  (%llu evals, %llu matches, %llu faults)\n",
              sb.evals_per_s, sb.tick_p50_ms, sb.tick_p99_ms, sb.tick_max_ms,
              static_cast<unsigned long long>(sb.evaluations), static_cast<unsigned long long>(sb.matches),
              static_cast<unsigned long long>(sb.faults));
  std::printf("memory      : main + workers RSS %.1f MB (PSS %.1f MB, shared pages counted once)\n", sb.rss_kb / 1024.0,
              sb.pss_kb / 1024.0);
  if (inprocess) {
    worker_pool_options local;
    local.sandbox = false;
    const run_figures ip = live_run(d, set, local, ticks);
    std::printf("in-process  : %10.0f evaluations/s  tick p50 %.2f ms p99 %.2f ms  (1 thread, no isolation)\n",
                ip.evals_per_s, ip.tick_p50_ms, ip.tick_p99_ms);
    std::printf("same signals sandboxed vs in-process: %s\n", ip.signals == sb.signals ? "yes" : "NO");
  }

  // Respawn: a trader that divides by zero on one symbol every tick.
  if (!crash_plugin.empty()) {
    auto store = make_store(d, d.bars);
    worker_pool_options o = sandboxed;
    o.quarantine_faults = 1u << 30;
    worker_pool pool(store, o);
    pool.load({{"T1", traders.at(0).plugin_path, true}, {"crash", crash_plugin, true}});
    for (int i = 0; i < 60; ++i) pool.run_tick({d.at(0, 0, d.bars - 1).close_time, 1u << VYX_TF_1M});
    std::vector<double> ms;
    for (auto ns : pool.metrics().recent_respawns) ms.push_back(std::chrono::duration<double, std::milli>(ns).count());
    std::printf("respawn     : %zu respawns, p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", ms.size(), percentile(ms, 0.5),
                percentile(ms, 0.99), percentile(ms, 1.0));
  }

  // Hot reload: load() of the whole set, then the next tick switches.
  {
    auto store = make_store(d, d.bars);
    worker_pool pool(store, sandboxed);
    pool.load(set);
    const vyx_timeframe_mask all = (1u << VYX_TF_1M) | (1u << VYX_TF_5M) | (1u << VYX_TF_1H);
    pool.run_tick({d.at(0, 0, d.bars - 1).close_time, all});
    std::vector<double> load_ms, switch_ms;
    for (int i = 0; i < 20; ++i) {
      const auto t0 = clock_type::now();
      pool.load(set);
      const auto t1 = clock_type::now();
      auto r = pool.run_tick({d.at(0, 0, d.bars - 1).close_time, all});
      const auto t2 = clock_type::now();
      load_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      switch_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    }
    std::printf("hot reload  : load() p50 %.1f ms max %.1f ms; first tick of the new generation p50 %.1f ms max %.1f ms\n",
                percentile(load_ms, 0.5), percentile(load_ms, 1.0), percentile(switch_ms, 0.5),
                percentile(switch_ms, 1.0));
  }
  std::printf("command     : %s\n", command.c_str());
  return 0;
}
