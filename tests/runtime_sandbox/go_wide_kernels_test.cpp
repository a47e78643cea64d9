// The host runs the Go traders' MA and Bollinger kernels in the widest vector
// registers the CPU has (evaluation/go_wide_kernels.hpp). Every width this
// CPU runs must give the plugins' SSE2 values bit for bit, over lengths that
// leave every kind of tail (wide blocks, pair blocks, single windows).
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <random>
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

}  // namespace

TEST_CASE("the host's wide MA and Bollinger kernels give the plugins' values bit for bit") {
  std::vector<vector_width> widths = {vector_width::sse2};
  const vector_width widest = runtime::widest_vector_width();
  if (widest == vector_width::avx2 || widest == vector_width::avx512)
    widths.push_back(vector_width::avx2);
  if (widest == vector_width::avx512) widths.push_back(vector_width::avx512);
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
