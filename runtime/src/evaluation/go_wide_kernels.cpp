// See go_wide_kernels.hpp. Compiled with the plugins' IEEE flags
// (-ffp-contract=off, runtime/CMakeLists.txt). Each width is a function
// compiled for its instruction set (a target attribute) that inlines the
// kernels' templates with that register size; the SDK header passes no
// register by value, so no call crosses instruction sets with one.
#include "evaluation/go_wide_kernels.hpp"

#include "vyx/sdk/go/indicator_kernels.hpp"

namespace vyx::runtime {
namespace kernels = vyx::go::kernels;

namespace {

#if defined(__x86_64__)
typedef double four_windows __attribute__((vector_size(32)));
typedef double eight_windows __attribute__((vector_size(64)));

// Block shapes measured on a 2-core Xeon (Sapphire Rapids class), period 20
// over 250 candles: AVX-512 four registers of eight windows, AVX2 eight of four.
__attribute__((target("avx2"))) void ma_series_avx2(const double* close, long n, long period,
                                                    double* out) {
  kernels::ma_series<four_windows, 8>(close, n, period, out);
}
__attribute__((target("avx2"))) void bollinger_avx2(const double* close, long n, long period,
                                                    double mult, double* up, double* mid,
                                                    double* low) {
  kernels::bollinger<four_windows, 8>(close, n, period, mult, up, mid, low);
}
__attribute__((target("avx512f"))) void ma_series_avx512(const double* close, long n, long period,
                                                         double* out) {
  kernels::ma_series<eight_windows, 4>(close, n, period, out);
}
__attribute__((target("avx512f"))) void bollinger_avx512(const double* close, long n, long period,
                                                         double mult, double* up, double* mid,
                                                         double* low) {
  kernels::bollinger<eight_windows, 4>(close, n, period, mult, up, mid, low);
}
#endif

}  // namespace

vector_width widest_vector_width() {
#if defined(__x86_64__)
  static const vector_width widest = __builtin_cpu_supports("avx512f") ? vector_width::avx512
                                     : __builtin_cpu_supports("avx2")  ? vector_width::avx2
                                                                       : vector_width::sse2;
  return widest;
#else
  return vector_width::sse2;
#endif
}

void go_ma_series(const double* close, long n, long period, double* out, vector_width width) {
  switch (width) {
#if defined(__x86_64__)
    case vector_width::avx512:
      return ma_series_avx512(close, n, period, out);
    case vector_width::avx2:
      return ma_series_avx2(close, n, period, out);
#endif
    default:
      return kernels::ma_series(close, n, period, out);
  }
}

void go_bollinger(const double* close, long n, long period, double mult, double* up, double* mid,
                  double* low, vector_width width) {
  switch (width) {
#if defined(__x86_64__)
    case vector_width::avx512:
      return bollinger_avx512(close, n, period, mult, up, mid, low);
    case vector_width::avx2:
      return bollinger_avx2(close, n, period, mult, up, mid, low);
#endif
    default:
      return kernels::bollinger(close, n, period, mult, up, mid, low);
  }
}

}  // namespace vyx::runtime
