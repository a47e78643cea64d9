// The host runs the Go traders' MA and Bollinger kernels in the widest vector
// registers the CPU has, and the RSI with fused multiply-adds in place of its
// divisions (evaluation/go_wide_kernels.hpp). Every width this CPU runs must
// give the plugins' SSE2 values bit for bit, over lengths that leave every
// kind of tail (wide blocks, pair blocks, single windows).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <tuple>
#include <utility>
#include <vector>

#include "evaluation/go_wide_kernels.hpp"
#include "vyx/sdk/go/indicator_kernels.hpp"

namespace vyx::test {
namespace {

namespace kernels = vyx::go::kernels;
using runtime::vector_width;

std::vector<double> random_walk(std::size_t n) {
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> step(-1.0, 1.0);
  std::vector<double> close(n);
  double price = 100.0;
  for (auto& c : close) c = price += step(random) * (1 + price / 50);
  return close;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

std::vector<vector_width> widths_this_cpu_runs() {
  std::vector<vector_width> widths = {vector_width::sse2};
  const vector_width widest = runtime::widest_vector_width();
  if (widest == vector_width::avx2 || widest == vector_width::avx512)
    widths.push_back(vector_width::avx2);
  if (widest == vector_width::avx512) widths.push_back(vector_width::avx512);
  return widths;
}

// Four windows of `n` closes: random walks at very different price levels
// (a cent coin, a dollar one, BTC), with flat stretches (changes of zero,
// averages that reach exactly zero) and tick-sized moves.
std::vector<std::vector<double>> rsi_windows(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<double> step(-1.0, 1.0);
  std::vector<std::vector<double>> windows;
  for (double level : {0.0123, 1.7, 97000.0, 3.0}) {
    std::vector<double> close(n);
    double price = level;
    for (std::size_t i = 0; i < n; ++i) {
      if (i % 97 >= 60 && i % 97 < 80) {  // flat
      } else if (i % 13 == 0) {
        price = std::nextafter(price, random() % 2 ? 1e300 : 0.0);  // one ulp
      } else {
        price += step(random) * level * 0.01;
      }
      close[i] = price;
    }
    windows.push_back(close);
  }
  return windows;
}

}  // namespace

TEST_CASE("the host's fused RSI gives the plugins' values bit for bit") {
  int compared = 0, fused = 0;
  for (const vector_width width : widths_this_cpu_runs())
    for (std::uint64_t seed : {1u, 2u, 3u})
      for (long n : {2L, 3L, 15L, 16L, 17L, 250L, 1000L})
        for (long period : {1L, 2L, 3L, 7L, 14L, 21L, 100L})
          for (long lanes = 1; lanes <= 4; ++lanes) {
            if (period >= n) continue;
            CAPTURE(static_cast<int>(width));
            CAPTURE(n);
            CAPTURE(period);
            CAPTURE(lanes);
            const auto windows = rsi_windows(static_cast<std::size_t>(n), seed);
            const double* close[4];
            std::vector<std::vector<double>> expected, got;
            double* out[4];
            for (long l = 0; l < lanes; ++l) {
              close[l] = windows[static_cast<std::size_t>(l)].data();
              expected.emplace_back(static_cast<std::size_t>(n), 0.0);
              got.emplace_back(static_cast<std::size_t>(n), 0.0);
              out[l] = got.back().data();
              kernels::rsi_series(close[l], n, period, expected.back().data());
            }
            const bool ran = runtime::go_rsi_series_lanes(close, lanes, n, period, out, width);
            CHECK(ran == runtime::fused_multiply_add_runs(width));
            const std::vector<double> untouched(static_cast<std::size_t>(n), 0.0);
            for (long l = 0; l < lanes; ++l)
              CHECK(same_bits(ran ? expected[l] : untouched, got[l]));
            fused += ran;
            ++compared;
          }
  MESSAGE(fused << " of " << compared << " window sets ran fused");
  CHECK(compared > 0);
}

TEST_CASE("the host's wide EMA gives the plugins' values bit for bit") {
  int compared = 0, wide = 0;
  for (const vector_width width : widths_this_cpu_runs())
    for (long n : {1L, 2L, 4L, 5L, 8L, 9L, 50L, 250L, 251L, 1003L})
      for (long period : {1L, 2L, 21L, 50L, 200L})
        for (long lanes : {1L, 3L, 4L, 7L, 8L}) {
          if (period > n) continue;
          CAPTURE(static_cast<int>(width));
          CAPTURE(n);
          CAPTURE(period);
          CAPTURE(lanes);
          const std::size_t size = static_cast<std::size_t>(n);
          std::vector<std::vector<double>> windows, expected, got;
          for (std::uint64_t seed : {1u, 2u})
            for (auto& w : rsi_windows(size, seed)) windows.push_back(w);
          const double* close[8];
          double* out[8];
          for (long l = 0; l < lanes; ++l) {
            close[l] = windows[static_cast<std::size_t>(l)].data();
            expected.emplace_back(size, 0.0);
            got.emplace_back(size, 0.0);
            kernels::ema_series(close[l], n, period, expected.back().data());
            out[l] = got.back().data();
          }
          const bool ran = runtime::go_ema_series_lanes(close, lanes, n, period, out, width);
          CHECK(ran == (runtime::fused_multiply_add_runs(width) && lanes == 4));
          const std::vector<double> untouched(size, 0.0);
          for (long l = 0; l < lanes; ++l)
            CHECK(same_bits(ran ? expected[static_cast<std::size_t>(l)] : untouched,
                            got[static_cast<std::size_t>(l)]));
          wide += ran;
          ++compared;
        }
  MESSAGE(wide << " of " << compared << " window sets ran wide");
  CHECK(compared > 0);
}

TEST_CASE("the host's EMA pair gives both periods' plugin values bit for bit") {
  int compared = 0, wide = 0;
  for (const vector_width width : widths_this_cpu_runs())
    for (long n : {1L, 2L, 4L, 5L, 8L, 9L, 50L, 250L, 251L, 1003L})
      for (const auto& [period_a, period_b] :
           {std::pair{50L, 200L}, std::pair{200L, 50L}, std::pair{1L, 2L}, std::pair{21L, 21L}})
        for (long lanes : {1L, 3L, 4L, 8L}) {
          if (period_a > n || period_b > n) continue;
          CAPTURE(static_cast<int>(width));
          CAPTURE(n);
          CAPTURE(period_a);
          CAPTURE(period_b);
          CAPTURE(lanes);
          const std::size_t size = static_cast<std::size_t>(n);
          std::vector<std::vector<double>> windows, expected_a, expected_b, got_a, got_b;
          for (std::uint64_t seed : {3u, 4u})
            for (auto& w : rsi_windows(size, seed)) windows.push_back(w);
          const double* close[8];
          double *out_a[8], *out_b[8];
          for (long l = 0; l < lanes; ++l) {
            close[l] = windows[static_cast<std::size_t>(l)].data();
            expected_a.emplace_back(size, 0.0);
            expected_b.emplace_back(size, 0.0);
            got_a.emplace_back(size, 0.0);
            got_b.emplace_back(size, 0.0);
            kernels::ema_series(close[l], n, period_a, expected_a.back().data());
            kernels::ema_series(close[l], n, period_b, expected_b.back().data());
            out_a[l] = got_a.back().data();
            out_b[l] = got_b.back().data();
          }
          const bool ran = runtime::go_ema_series_pair_lanes(close, lanes, n, period_a, period_b,
                                                             out_a, out_b, width);
          CHECK(ran == (runtime::fused_multiply_add_runs(width) && lanes == 4));
          const std::vector<double> untouched(size, 0.0);
          for (std::size_t l = 0; l < static_cast<std::size_t>(lanes); ++l) {
            CHECK(same_bits(ran ? expected_a[l] : untouched, got_a[l]));
            CHECK(same_bits(ran ? expected_b[l] : untouched, got_b[l]));
          }
          wide += ran;
          ++compared;
        }
  MESSAGE(wide << " of " << compared << " window sets ran as pairs");
  CHECK(compared > 0);
}

TEST_CASE("the host's wide MACD gives the plugins' values bit for bit") {
  int compared = 0, wide = 0;
  for (const vector_width width : widths_this_cpu_runs())
    for (std::uint64_t seed : {1u, 2u})
      for (long n : {1L, 2L, 5L, 9L, 10L, 12L, 13L, 26L, 27L, 30L, 250L, 1001L})
        for (const auto& [fast, slow, signal] :
             {std::tuple{12L, 26L, 9L}, std::tuple{3L, 5L, 2L}, std::tuple{1L, 1L, 1L},
              std::tuple{5L, 3L, 30L}, std::tuple{26L, 12L, 9L}}) {
          if (slow > n) continue;
          CAPTURE(static_cast<int>(width));
          CAPTURE(n);
          CAPTURE(fast);
          CAPTURE(slow);
          CAPTURE(signal);
          const auto windows = rsi_windows(static_cast<std::size_t>(n), seed);
          const std::size_t size = static_cast<std::size_t>(n);
          const double* close[4];
          std::vector<std::vector<double>> expected(12, std::vector<double>(size, 0.0));
          std::vector<std::vector<double>> got(12, std::vector<double>(size, 0.0));
          double* line[4];
          double* signal_line[4];
          double* histogram[4];
          for (std::size_t l = 0; l < 4; ++l) {
            close[l] = windows[l].data();
            kernels::macd(close[l], n, fast, slow, signal, expected[3 * l].data(),
                          expected[3 * l + 1].data(), expected[3 * l + 2].data());
            line[l] = got[3 * l].data();
            signal_line[l] = got[3 * l + 1].data();
            histogram[l] = got[3 * l + 2].data();
          }
          const bool ran = runtime::go_macd_lanes(close, 4, n, fast, slow, signal, line,
                                                  signal_line, histogram, width);
          CHECK(ran == (runtime::fused_multiply_add_runs(width) && fast <= n));
          const std::vector<double> untouched(size, 0.0);
          for (std::size_t row = 0; row < 12; ++row)
            CHECK(same_bits(ran ? expected[row] : untouched, got[row]));
          // Fewer windows than four are the SDK's to compute.
          CHECK_FALSE(runtime::go_macd_lanes(close, 3, n, fast, slow, signal, line, signal_line,
                                             histogram, width));
          wide += ran;
          ++compared;
        }
  MESSAGE(wide << " of " << compared << " window sets ran wide");
  CHECK(compared > 0);
}

TEST_CASE("Markstein's correction gives the correctly rounded quotient by a period") {
  // The fused RSI's step on its own terms: q = t * RN(1/p), then
  // q + (t - q * p) * RN(1/p) with one rounding each, against t / p, for the
  // periods a trader would use and dividends at random and within an ulp of
  // a halfway point between two quotients (the hard cases for rounding).
  std::mt19937_64 random(11);
  const auto significand = [&] {  // a double in [1, 2)
    const std::uint64_t bits = (random() & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull;
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
  };
  long compared = 0, differ = 0;
  for (int period = 1; period <= 100; ++period) {
    const double p = period, reciprocal = 1.0 / p;
    for (int k = 0; k < 20000; ++k) {
      double t = significand() * std::ldexp(1.0, static_cast<int>(random() % 200) - 100);
      if (k % 2 == 1) {  // near p * (q + half an ulp of q)
        const double q = significand();
        t = static_cast<double>(static_cast<long double>(p) *
                                (static_cast<long double>(q) + std::ldexp(1.0L, -53)));
        t = std::nextafter(t, random() % 2 ? 4.0 * p : 0.0);
      }
      const double q = t * reciprocal;
      const double corrected = std::fma(std::fma(-q, p, t), reciprocal, q);
      const double exact = t / p;
      differ += std::memcmp(&corrected, &exact, sizeof exact) != 0;
      ++compared;
    }
  }
  CHECK(compared == 2000000);
  CHECK(differ == 0);
}

TEST_CASE("the fused RSI declines closes outside the range where it is exact") {
  if (!runtime::fused_multiply_add_runs(runtime::widest_vector_width())) {
    MESSAGE("skipped: this CPU has no fused multiply-add");
    return;
  }
  std::vector<double> close = random_walk(50);
  std::vector<double> out(50, 0.0);
  const double* windows[] = {close.data()};
  double* rows[] = {out.data()};
  CHECK(runtime::go_rsi_series_lanes(windows, 1, 50, 14, rows));
  for (double outside :
       {std::ldexp(1.0, -500), std::ldexp(1.0, 500), 1e-310,
        std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()}) {
    CAPTURE(outside);
    for (std::size_t at :
         {std::size_t{0}, std::size_t{13}, std::size_t{14}, std::size_t{30}, std::size_t{49}}) {
      CAPTURE(at);  // in the seed, its last close, the first step's, the steps', the newest
      std::vector<double> odd = close;
      odd[at] = outside;
      windows[0] = odd.data();
      CHECK_FALSE(runtime::go_rsi_series_lanes(windows, 1, 50, 14, rows));
    }
  }
  // Zero closes are inside: a change from or to zero is the other close.
  std::vector<double> zeros = close;
  zeros[10] = 0.0;
  windows[0] = zeros.data();
  std::vector<double> expected(50, 0.0);
  std::fill(out.begin(), out.end(), 0.0);
  kernels::rsi_series(zeros.data(), 50, 14, expected.data());
  CHECK(runtime::go_rsi_series_lanes(windows, 1, 50, 14, rows));
  CHECK(same_bits(expected, out));
}

TEST_CASE("the host's wide MA and Bollinger kernels give the plugins' values bit for bit") {
  const std::vector<vector_width> widths = widths_this_cpu_runs();
  MESSAGE("vector widths this CPU runs: " << widths.size() << " of 3 (sse2, avx2, avx512)");

  const std::vector<double> close = random_walk(600);
  int compared = 0;
  for (const vector_width width : widths)
    for (long n : {1L, 2L, 7L, 19L, 20L, 31L, 64L, 65L, 97L, 250L, 251L, 600L})
      for (long period : {1L, 2L, 5L, 13L, 20L, 50L, 250L}) {
        if (period > n) continue;
        CAPTURE(static_cast<int>(width));
        CAPTURE(n);
        CAPTURE(period);
        const std::size_t size = static_cast<std::size_t>(n);
        std::vector<double> expected(size, 0.0), got(size, 0.0);
        kernels::ma_series(close.data(), n, period, expected.data());
        runtime::go_ma_series(close.data(), n, period, got.data(), width);
        CHECK(same_bits(expected, got));

        for (double mult : {2.0, 2.5}) {
          std::vector<double> up(size, 0.0), mid(size, 0.0), low(size, 0.0);
          std::vector<double> wide_up(size, 0.0), wide_mid(size, 0.0), wide_low(size, 0.0);
          kernels::bollinger(close.data(), n, period, mult, up.data(), mid.data(), low.data());
          runtime::go_bollinger(close.data(), n, period, mult, wide_up.data(), wide_mid.data(),
                                wide_low.data(), width);
          CHECK(same_bits(up, wide_up));
          CHECK(same_bits(mid, wide_mid));
          CHECK(same_bits(low, wide_low));
        }
        ++compared;
      }
  CHECK(compared == static_cast<int>(widths.size()) * 59);
}

}  // namespace vyx::test
