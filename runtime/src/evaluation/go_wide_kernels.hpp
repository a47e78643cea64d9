// The Go window kernels that are only sums (CalculateMASeries and the
// Bollinger bands) in the widest vector registers this CPU has: AVX-512,
// AVX2, else the plugins' own SSE2 form. Every lane runs the platform's
// operations in its order, so the values are bit for bit the plugins'; the
// host serves them to every Go trader of a symbol (go_indicator_cache).
#pragma once

namespace vyx::runtime {

enum class vector_width { sse2, avx2, avx512 };

// The widest width this CPU runs (sse2 off x86-64: the kernels' portable form).
vector_width widest_vector_width();

// The kernels at `width`, which this CPU must run; the widest by default.
void go_ma_series(const double* close, long n, long period, double* out,
                  vector_width width = widest_vector_width());
void go_bollinger(const double* close, long n, long period, double mult, double* up, double* mid,
                  double* low, vector_width width = widest_vector_width());

}  // namespace vyx::runtime
