// Two trader sets screened side by side, tick by tick: the Go / dialect ratio
// of issue 9 without the machine's drift. Each set has its own store and
// sandboxed pool; at every tick both append the same bar and screen it, one
// right after the other, the first alternating from tick to tick. So both see
// the same minutes of a shared machine, where separate runs of a fraction of a
// second each moved the ratio by a third (BENCHMARKS.md, "Go front end").
//
//   screening_pair_bench --data FILE --dialect T1=T1.so ... --go T1=T1.so ...
//                        [--ticks 250] [--workers 2] [--passes 10]
//
// A pass is `ticks` live ticks over fresh stores and pools; the figures are
// over all passes, each pass's ratio printed to show the spread.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "dataset_stream.hpp"
#include "live_store.hpp"
#include "vyx/runtime/pool/worker_pool.hpp"

namespace {

using namespace vyx::runtime;
using vyx::bench::dataset_stream;
using clock_type = std::chrono::steady_clock;

struct side {
  const char* name;
  std::vector<trader_spec> traders;
  std::vector<double> tick_ms;  // every tick of every pass
  double pass_ms = 0;           // this pass's screening time
  std::uint64_t pass_evaluations = 0;
  std::uint64_t evaluations = 0, matches = 0, faults = 0;
  double pass_rate() const { return static_cast<double>(pass_evaluations) / pass_ms; }
  double rate() const {
    double ms = 0;
    for (double t : tick_ms) ms += t;
    return ms > 0 ? static_cast<double>(evaluations) / (ms / 1000) : 0;
  }
};

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[(v.size() - 1) / 2];
}

trader_spec parse_trader(const std::string& flag, const std::string& value) {
  const auto eq = value.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == value.size())
    throw std::runtime_error(flag + " wants ID=PLUGIN.so, not '" + value + "'");
  return {value.substr(0, eq), value.substr(eq + 1), true};
}

std::size_t parse_count(const std::string& flag, const std::string& value) {
  std::size_t used = 0;
  unsigned long n = 0;
  try {
    n = std::stoul(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != value.size() || n == 0 || value[0] == '-')
    throw std::runtime_error(flag + " wants a whole number of at least 1, not '" + value + "'");
  return n;
}

// One pass: fresh stores and pools for both sides, then the live ticks.
void run_pass(const dataset_stream& d, std::uint32_t capacity, unsigned workers, std::size_t ticks,
              std::size_t pass, side* sides) {
  const std::size_t preload = d.bars() - ticks;
  worker_pool_options options;
  options.min_workers = options.max_workers = workers;
  std::vector<candle_store> stores;
  for (int s = 0; s < 2; ++s) stores.push_back(vyx::bench::make_store(d, capacity, preload));
  worker_pool first(stores[0], options), second(stores[1], options);
  worker_pool* pools[] = {&first, &second};
  for (int s = 0; s < 2; ++s) {
    const auto report = pools[s]->load(sides[s].traders);
    for (const auto& [id, why] : report.failed)
      throw std::runtime_error(std::string(sides[s].name) + " trader " + id +
                               " did not load: " + why);
    sides[s].pass_ms = 0;
    sides[s].pass_evaluations = 0;
  }
  std::vector<candle> bar;
  for (std::size_t b = preload; b < d.bars(); ++b) {
    d.read_bar(b, bar);
    for (int k = 0; k < 2; ++k) {
      const int s = (b + pass + k) % 2;
      const auto t0 = clock_type::now();
      vyx::bench::append_bar(stores[s], d, bar);
      const auto r = pools[s]->run_tick({d.close_time(b), d.timeframe_mask()});
      const double ms = std::chrono::duration<double, std::milli>(clock_type::now() - t0).count();
      sides[s].tick_ms.push_back(ms);
      sides[s].pass_ms += ms;
      sides[s].pass_evaluations += r.evaluations;
      sides[s].evaluations += r.evaluations;
      sides[s].matches += r.matches.size();
      sides[s].faults += r.faults.size();
    }
  }
}

}  // namespace

int main(int argc, char** argv) try {
  std::string data_path;
  side sides[] = {{"dialect", {}, {}, 0, 0, 0, 0, 0}, {"go", {}, {}, 0, 0, 0, 0, 0}};
  std::size_t ticks = 250, passes = 10;
  unsigned workers = 2;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::printf(
          "usage: screening_pair_bench --data FILE --dialect ID=PLUGIN.so ... --go ID=PLUGIN.so "
          "...\n"
          "                            [--ticks 250] [--workers 2] [--passes 10]\n"
          "Screens both trader sets tick by tick in the same minutes, each in its own sandboxed\n"
          "pool over its own store, and prints their evaluations/s and the Go / dialect ratio.\n");
      return 0;
    }
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error("missing value for " + a);
      return argv[++i];
    };
    if (a == "--data")
      data_path = next();
    else if (a == "--dialect")
      sides[0].traders.push_back(parse_trader(a, next()));
    else if (a == "--go")
      sides[1].traders.push_back(parse_trader(a, next()));
    else if (a == "--ticks")
      ticks = parse_count(a, next());
    else if (a == "--workers")
      workers = static_cast<unsigned>(parse_count(a, next()));
    else if (a == "--passes")
      passes = parse_count(a, next());
    else
      throw std::runtime_error("unknown argument " + a + " (--help lists them)");
  }
  if (data_path.empty() || sides[0].traders.empty() || sides[1].traders.empty())
    throw std::runtime_error(
        "--data, and at least one --dialect and one --go trader, are required");
  std::string command;
  for (int i = 0; i < argc; ++i) command += std::string(i ? " " : "") + argv[i];

  const dataset_stream d(data_path);
  if (ticks + 21 >= d.bars())
    throw std::runtime_error("--ticks " + std::to_string(ticks) + " leaves too little history in " +
                             std::to_string(d.bars()) + " bars");
  // One capacity for both: the longest lookback of either set.
  std::uint32_t longest = 0, capacity = 500;
  for (const auto& s : sides)
    capacity =
        std::max(capacity, vyx::bench::capacity_for(s.traders, d.timeframe_mask(), 500, &longest));
  std::printf(
      "screening_pair_bench: %zu symbols x %zu bars, %zu dialect and %zu Go traders, %zu passes "
      "of %zu live ticks, %u workers per pool, capacity %u\n",
      d.symbols(), d.bars(), sides[0].traders.size(), sides[1].traders.size(), passes, ticks,
      workers, capacity);

  std::vector<double> pass_ratios;
  for (std::size_t pass = 0; pass < passes; ++pass) {
    run_pass(d, capacity, workers, ticks, pass, sides);
    pass_ratios.push_back(sides[0].pass_rate() / sides[1].pass_rate());
  }
  for (const auto& s : sides)
    std::printf(
        "%-8s: %10.0f evaluations/s  tick p50 %.3f ms  (%llu evals, %llu matches, %llu faults)\n",
        s.name, s.rate(), median(s.tick_ms), static_cast<unsigned long long>(s.evaluations),
        static_cast<unsigned long long>(s.matches), static_cast<unsigned long long>(s.faults));
  std::string spread;
  auto sorted = pass_ratios;
  std::sort(sorted.begin(), sorted.end());
  for (double r : sorted) spread += (spread.empty() ? "" : " ") + std::to_string(r).substr(0, 4);
  std::printf(
      "Go / dialect, tick by tick (target <= 1.3x): %.2fx over all passes; median of the %zu "
      "passes %.2fx (sorted: %s); tick p50 %.2fx\n",
      sides[0].rate() / sides[1].rate(), passes, median(pass_ratios), spread.c_str(),
      median(sides[1].tick_ms) / median(sides[0].tick_ms));
  std::printf("command : %s\n", command.c_str());
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "screening_pair_bench: %s\n", e.what());
  return 1;
}
