// The compat indicators (abi/src/go/indicators.cpp) against an
// older version of themselves (indicators_ab.sh extracts it from git into the
// namespace old_indicators): every result compared bit for bit over random,
// flat, monotonic and degenerate series, then, with an argument, the time per
// call on a 250-candle window (best of 60 rounds, the two interleaved), alone
// and as each bench trader T1..T5 calls them.
#include <chrono>
#include <cstddef>
#include <new>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

// The plugin's allocator, as heap.hpp: a bump arena, reused from `bump_floor`
// when full (nothing outlives one timed call).
alignas(64) static char bump_buf[1 << 26];
static std::size_t bump_at = 0, bump_floor = 0;
inline void* bump(std::size_t n) {
  n = (n + 15) & ~std::size_t{15};
  if (bump_at + n > sizeof bump_buf) bump_at = bump_floor;
  void* p = bump_buf + bump_at; bump_at += n; return p;
}
void* operator new(std::size_t n) { return bump(n); }
void* operator new[](std::size_t n) { return bump(n); }
void operator delete(void*) noexcept {}
void operator delete[](void*) noexcept {}
void operator delete(void*, std::size_t) noexcept {}
void operator delete[](void*, std::size_t) noexcept {}

#include "vyx/sdk/go/indicators.hpp"
#include "old_indicators.hpp"
namespace g = vyx::go;
namespace N = vyx::go::indicators;
namespace O = vyx::go::old_indicators;
static long mismatches = 0;
static bool same(double a, double b) { return std::memcmp(&a, &b, 8) == 0; }
template <class S> static void cmp_slice(const char* w, const S& a, const S& b) {
  if (a.len() != b.len()) { ++mismatches; std::printf("%s len\n", w); return; }
  for (long i = 0; i < a.len(); ++i) if (!same(a[i], b[i])) { ++mismatches; std::printf("%s [%ld] %.17g %.17g\n", w, i, a[i], b[i]); return; }
}
template <class P> static void cmp_ptr(const char* w, const P& a, const P& b) {
  if ((a == g::nil) != (b == g::nil)) { ++mismatches; std::printf("%s nil\n", w); return; }
  if (!(a == g::nil) && !same(*a, *b)) { ++mismatches; std::printf("%s %.17g %.17g\n", w, *a, *b); }
}
struct cols { std::vector<double> o, h, l, c, v, q, t; std::vector<int64_t> ot, ct, tr; vyx_candles raw{}; };
static void fill(cols& x, long n, int shape, std::mt19937_64& r) {
  std::normal_distribution<double> d(0, 1);
  std::uniform_real_distribution<double> u(0, 1);
  x.o.resize(n); x.h.resize(n); x.l.resize(n); x.c.resize(n); x.v.resize(n); x.q.resize(n); x.t.resize(n);
  x.ot.resize(n); x.ct.resize(n); x.tr.resize(n);
  double p = 100;
  for (long i = 0; i < n; ++i) {
    switch (shape) {
      case 0: p += d(r); break;
      case 1: break;                               // flat
      case 2: p += 0.1; break;                     // rising
      case 3: p -= 0.01; break;                    // falling
      case 4: p = (u(r) < 0.5) ? p : p + d(r) * 1e-12; break;  // mostly repeats
      case 5: p = 1e6 * u(r); break;
      case 6: p = i < 20 ? i * 1e-300 : p - 1 - u(r); break;  // a tiny rise, then falls: RSI 0 at the end
    }
    x.c[i] = p; x.o[i] = p - d(r) * 0.1; x.h[i] = p + std::abs(d(r)); x.l[i] = p - std::abs(d(r));
    x.v[i] = shape == 1 ? 0 : u(r) * 1000; x.t[i] = x.v[i] * u(r); x.q[i] = x.v[i] * p; x.ot[i] = i * 60000; x.ct[i] = x.ot[i] + 59999; x.tr[i] = i;
  }
  x.raw.struct_size = sizeof(vyx_candles); x.raw.count = n;
  x.raw.open_time = x.ot.data(); x.raw.close_time = x.ct.data(); x.raw.open = x.o.data(); x.raw.high = x.h.data();
  x.raw.low = x.l.data(); x.raw.close = x.c.data(); x.raw.volume = x.v.data(); x.raw.quote_volume = x.q.data();
  x.raw.taker_buy_base_volume = x.t.data(); x.raw.trades = x.tr.data();
}
static void compare(const N::Klines& k) {
  const long periods[] = {-1, 0, 1, 2, 3, 5, 7, 9, 12, 14, 20, 21, 26, 50, 200, 249, 250, 251};
  for (long p : periods) {
    cmp_ptr("MA", N::CalculateMA(k, p), O::CalculateMA(k, p));
    cmp_slice("MASeries", N::CalculateMASeries(k, p), O::CalculateMASeries(k, p));
    cmp_ptr("EMA", N::CalculateEMA(k, p), O::CalculateEMA(k, p));
    cmp_slice("EMASeries", N::CalculateEMASeries(k, p), O::CalculateEMASeries(k, p));
    auto a = N::CalculateRSI(k, p); auto b = O::CalculateRSI(k, p);
    if ((a == g::nil) != (b == g::nil)) { ++mismatches; std::puts("RSI nil"); } else if (!(a == g::nil)) cmp_slice("RSI", a->Values, b->Values);
    cmp_ptr("LatestRSI", N::GetLatestRSI(k, p), O::GetLatestRSI(k, p));
    for (double m : {2.0, 0.5}) {
      auto x = N::CalculateBollingerBands(k, p, m); auto y = O::CalculateBollingerBands(k, p, m);
      if ((x == g::nil) != (y == g::nil)) { ++mismatches; std::puts("BB nil"); } else if (!(x == g::nil)) { cmp_slice("BBu", x->Upper, y->Upper); cmp_slice("BBm", x->Middle, y->Middle); cmp_slice("BBl", x->Lower, y->Lower); }
    }
    cmp_ptr("AvgVol", N::CalculateAvgVolume(k, p), O::CalculateAvgVolume(k, p));
    cmp_ptr("HH", N::GetHighestHigh(k, p), O::GetHighestHigh(k, p));
    for (long s : {1l, 3l, 9l, 26l, 300l}) for (long f : {1l, 5l, 12l, 30l}) {
      auto x = N::CalculateMACD(k, f, p, s); auto y = O::CalculateMACD(k, f, p, s);
      if ((x == g::nil) != (y == g::nil)) { ++mismatches; std::puts("MACD nil"); } else if (!(x == g::nil)) { cmp_slice("MACD", x->MACD, y->MACD); cmp_slice("Sig", x->Signal, y->Signal); cmp_slice("Hist", x->Histogram, y->Histogram); }
    }
  }
  double a = N::CalculateVWAP(k), b = O::CalculateVWAP(k);
  if (!same(a, b)) { ++mismatches; std::printf("VWAP %.17g %.17g\n", a, b); }
}
template <class F> static double ns(F f) {
  const int reps = 1000; volatile double sink = 0;
  double best = 1e18;
  for (int round = 0; round < 60; ++round) {
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < reps; ++i) sink = sink + f();
    double t = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count() / reps;
    if (t < best) best = t;
  }
  return best;
}
int main(int argc, char** argv) {
  std::mt19937_64 r(7);
  long cases = 0;
  for (int shape = 0; shape < 7; ++shape)
    for (long n : {0l, 1l, 2l, 13l, 14l, 15l, 26l, 27l, 50l, 99l, 250l, 300l}) {
      cols x; fill(x, n, shape, r);
      compare(g::slice<g::types::Kline>::view(&x.raw, 0, n));
      if (n > 5) compare(g::slice<g::types::Kline>::view(&x.raw, 3, n - 3));
      // written-to candles: the copy path
      auto k = g::slice<g::types::Kline>::view(&x.raw, 0, n);
      if (n > 0) { k.ref(0).Close += 1; compare(k); }
      ++cases;
    }
  std::printf("cases %ld, mismatches %ld\n", cases, mismatches);
  if (argc > 1) {
    cols x; fill(x, 250, 0, r);
    auto k = g::slice<g::types::Kline>::view(&x.raw, 0, 250);
    bump_floor = bump_at;
    std::printf("%-22s %8s %8s\n", "ns/call (250)", "old", "new");
#define T(name, expr_new, expr_old) std::printf("%-22s %8.0f %8.0f\n", name, ns([&] { return expr_old; }), ns([&] { return expr_new; }))
    T("GetLatestRSI14", *N::GetLatestRSI(k, 14), *O::GetLatestRSI(k, 14));
    T("CalculateRSI14", N::CalculateRSI(k, 14)->Values[249], O::CalculateRSI(k, 14)->Values[249]);
    T("EMASeries50", N::CalculateEMASeries(k, 50)[249], O::CalculateEMASeries(k, 50)[249]);
    T("EMA200", *N::CalculateEMA(k, 200), *O::CalculateEMA(k, 200));
    T("MACD12,26,9", N::CalculateMACD(k, 12, 26, 9)->Histogram[249], O::CalculateMACD(k, 12, 26, 9)->Histogram[249]);
    T("Bollinger20", N::CalculateBollingerBands(k, 20, 2.0)->Upper[249], O::CalculateBollingerBands(k, 20, 2.0)->Upper[249]);
    T("VWAP", N::CalculateVWAP(k), O::CalculateVWAP(k));
    T("T1 (RSI)", *N::GetLatestRSI(k, 14), *O::GetLatestRSI(k, 14));
    T("T2 (EMAs, volume)", N::CalculateEMASeries(k, 50)[249] + *N::CalculateEMA(k, 200) + *N::CalculateAvgVolume(k, 20), O::CalculateEMASeries(k, 50)[249] + *O::CalculateEMA(k, 200) + *O::CalculateAvgVolume(k, 20));
    T("T3 (MACD, RSI)", N::CalculateMACD(k, 12, 26, 9)->Histogram[249] + *N::GetLatestRSI(k, 14), O::CalculateMACD(k, 12, 26, 9)->Histogram[249] + *O::GetLatestRSI(k, 14));
    T("T4 (Bollinger)", N::CalculateBollingerBands(k, 20, 2.0)->Upper[249], O::CalculateBollingerBands(k, 20, 2.0)->Upper[249]);
    T("T5 (EMA, RSI, VWAP)", N::CalculateEMASeries(k, 21)[249] + N::CalculateRSI(k, 14)->Values[249] + N::CalculateVWAP(k), O::CalculateEMASeries(k, 21)[249] + O::CalculateRSI(k, 14)->Values[249] + O::CalculateVWAP(k));
    T("AvgVolume20", *N::CalculateAvgVolume(k, 20), *O::CalculateAvgVolume(k, 20));
  }
  return mismatches != 0;
}
