// The chained Go indicator kernels alone, per symbol: the SDK's four-lane
// forms (what a plugin, or a host without AVX2, runs) against the host's wide
// ones (evaluation/go_wide_kernels.hpp) over the same windows, each result
// compared bit for bit with the SDK's single-window kernel first.
//
//   go_kernels_bench [--symbols 200] [--window 250] [--rounds 30]
//
// Windows are seeded random walks; the best of `rounds` passes over all
// symbols, four at a time, is printed in ns per symbol.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "evaluation/go_wide_kernels.hpp"
#include "vyx/sdk/go/indicator_kernels.hpp"

namespace {

namespace kernels = vyx::go::kernels;
using rows = std::vector<std::vector<double>>;

struct options {
  long symbols = 200, window = 250, rounds = 30;
};

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    long* target = a == "--symbols"  ? &o.symbols
                   : a == "--window" ? &o.window
                   : a == "--rounds" ? &o.rounds
                                     : nullptr;
    if (target == nullptr || i + 1 >= argc)
      throw std::runtime_error("usage: go_kernels_bench [--symbols N] [--window N] [--rounds N]");
    const std::string v = argv[++i];
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), *target);
    if (ec != std::errc() || end != v.data() + v.size() || *target < 1)
      throw std::runtime_error(a + " wants a whole number of at least 1, not '" + v + "'");
  }
  if (o.symbols % 4 != 0) throw std::runtime_error("--symbols must be a multiple of 4");
  if (o.window < 35) throw std::runtime_error("--window must be at least 35 (MACD 12, 26, 9)");
  return o;
}

rows random_walks(long symbols, long window) {
  std::mt19937_64 random(42);
  std::normal_distribution<double> step(0.0, 0.01);
  rows closes(static_cast<std::size_t>(symbols), std::vector<double>(window));
  for (auto& c : closes) {
    double price = 100.0;
    for (double& x : c) x = price *= 1 + step(random);
  }
  return closes;
}

// Runs `kernel` over every group of four symbols `rounds` times; the best
// pass in ns per symbol. `kernel(first, out)` writes outputs x window values
// per symbol into out[symbol].
double best_pass(const options& o, const std::function<void(long, rows&)>& kernel, rows& out) {
  double best = 1e300;
  for (long round = 0; round < o.rounds; ++round) {
    const auto start = std::chrono::steady_clock::now();
    for (long first = 0; first < o.symbols; first += 4) kernel(first, out);
    const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count() / static_cast<double>(o.symbols));
  }
  return best;
}

bool same_bits(const rows& a, const rows& b) {
  for (std::size_t s = 0; s < a.size(); ++s)
    if (std::memcmp(a[s].data(), b[s].data(), a[s].size() * sizeof(double)) != 0) return false;
  return true;
}

}  // namespace

int main(int argc, char** argv) try {
  const options o = parse(argc, argv);
  const rows closes = random_walks(o.symbols, o.window);
  const long n = o.window;
  const auto fresh = [&](long outputs) {
    return rows(closes.size(), std::vector<double>(static_cast<std::size_t>(outputs * n), 0.0));
  };
  const auto lanes = [&](long first, rows& out, long outputs, const double** c, double** o0,
                         double** o1, double** o2) {
    for (long l = 0; l < 4; ++l) {
      c[l] = closes[static_cast<std::size_t>(first + l)].data();
      double* v = out[static_cast<std::size_t>(first + l)].data();
      o0[l] = v;
      if (outputs >= 2) o1[l] = v + n;
      if (outputs == 3) o2[l] = v + 2 * n;
    }
  };
  const vyx::runtime::vector_width width = vyx::runtime::widest_vector_width();
  std::printf("go_kernels_bench: %ld symbols x %ld closes, best of %ld passes, ns per symbol\n",
              o.symbols, n, o.rounds);
  std::printf("  %-24s %10s %10s %8s  same values\n", "kernel", "SDK x4", "host", "ratio");

  struct kernel_pair {
    const char* name;
    long outputs;
    std::function<void(const double*, double*)> one;
    std::function<void(const double**, double**, double**, double**)> sdk, host;
  };
  const long long_ema = std::min(200L, n);  // T2's EMA(200), within the window
  const std::vector<kernel_pair> pairs = {
      {"EMA(50) series", 1, [&](const double* c, double* v) { kernels::ema_series(c, n, 50, v); },
       [&](const double** c, double** v, double**, double**) {
         kernels::ema_series_lanes<4>(c, n, 50, v);
       },
       [&](const double** c, double** v, double**, double**) {
         if (!vyx::runtime::go_ema_series_lanes(c, 4, n, 50, v, width))
           kernels::ema_series_lanes<4>(c, n, 50, v);
       }},
      {"EMA(50) and EMA(200)", 2,
       [&](const double* c, double* v) {
         kernels::ema_series(c, n, 50, v);
         kernels::ema_series(c, n, long_ema, v + n);
       },
       [&](const double** c, double** v, double** w, double**) {
         kernels::ema_series_lanes<4>(c, n, 50, v);
         kernels::ema_series_lanes<4>(c, n, long_ema, w);
       },
       [&](const double** c, double** v, double** w, double**) {
         if (!vyx::runtime::go_ema_series_pair_lanes(c, 4, n, 50, long_ema, v, w, width)) {
           kernels::ema_series_lanes<4>(c, n, 50, v);
           kernels::ema_series_lanes<4>(c, n, long_ema, w);
         }
       }},
      {"RSI(14) values", 1, [&](const double* c, double* v) { kernels::rsi_series(c, n, 14, v); },
       [&](const double** c, double** v, double**, double**) {
         kernels::rsi_series_lanes<4>(c, n, 14, v);
       },
       [&](const double** c, double** v, double**, double**) {
         if (!vyx::runtime::go_rsi_series_lanes(c, 4, n, 14, v, width))
           kernels::rsi_series_lanes<4>(c, n, 14, v);
       }},
      {"MACD(12, 26, 9)", 3,
       [&](const double* c, double* v) { kernels::macd(c, n, 12, 26, 9, v, v + n, v + 2 * n); },
       [&](const double** c, double** m, double** s, double** h) {
         kernels::macd_lanes<4>(c, n, 12, 26, 9, m, s, h);
       },
       [&](const double** c, double** m, double** s, double** h) {
         if (!vyx::runtime::go_macd_lanes(c, 4, n, 12, 26, 9, m, s, h, width))
           kernels::macd_lanes<4>(c, n, 12, 26, 9, m, s, h);
       }},
  };
  bool all_same = true;
  for (const kernel_pair& k : pairs) {
    rows expected = fresh(k.outputs), sdk = fresh(k.outputs), host = fresh(k.outputs);
    for (std::size_t s = 0; s < closes.size(); ++s) k.one(closes[s].data(), expected[s].data());
    const auto run = [&](const auto& kernel) {
      return [&](long first, rows& out) {
        const double* c[4];
        double *o0[4], *o1[4], *o2[4];
        lanes(first, out, k.outputs, c, o0, o1, o2);
        kernel(c, o0, o1, o2);
      };
    };
    const double sdk_ns = best_pass(o, run(k.sdk), sdk);
    const double host_ns = best_pass(o, run(k.host), host);
    const bool same = same_bits(expected, sdk) && same_bits(expected, host);
    all_same = all_same && same;
    std::printf("  %-24s %10.1f %10.1f %7.2fx  %s\n", k.name, sdk_ns, host_ns, sdk_ns / host_ns,
                same ? "yes" : "NO");
  }
  std::printf("host kernels: %s\n", width == vyx::runtime::vector_width::sse2
                                        ? "the SDK's (no AVX2 here)"
                                        : "AVX2 with FMA (go_wide_kernels)");
  std::printf("command:");
  for (int i = 0; i < argc; ++i) std::printf(" %s", argv[i]);
  std::printf("\n");
  return all_same ? 0 : 1;
} catch (const std::exception& e) {
  std::fprintf(stderr, "go_kernels_bench: %s\n", e.what());
  return 2;
}
