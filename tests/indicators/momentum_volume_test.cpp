// OBV, WILLR, ROC and MOM against slow references written from the
// definitions, the fixtures, streaming, and their edge rules.
#include <algorithm>
#include <cmath>

#include "test_data.hpp"
#include "vyx/indicators/mom.hpp"
#include "vyx/indicators/obv.hpp"
#include "vyx/indicators/roc.hpp"
#include "vyx/indicators/willr.hpp"

namespace {

using namespace vyx;
using namespace vyx::test;

std::vector<double> obv_reference(const price_series& s) {
  std::vector<double> out(s.size());
  long double v = s.volume[0];
  out[0] = s.volume[0];
  for (std::size_t t = 1; t < s.size(); ++t) {
    if (s.close[t] > s.close[t - 1]) v += s.volume[t];
    if (s.close[t] < s.close[t - 1]) v -= s.volume[t];
    out[t] = static_cast<double>(v);
  }
  return out;
}

std::vector<double> willr_reference(const price_series& s, int n) {
  std::vector<double> out(s.size(), nan_value());
  for (std::size_t t = n - 1; t < s.size(); ++t) {
    const double hh = *std::max_element(s.high.begin() + (t + 1 - n), s.high.begin() + t + 1);
    const double ll = *std::min_element(s.low.begin() + (t + 1 - n), s.low.begin() + t + 1);
    out[t] = hh == ll ? 0.0 : -100 * (hh - s.close[t]) / (hh - ll);
  }
  return out;
}

std::vector<double> roc_reference(const price_series& s, int n) {
  std::vector<double> out(s.size(), nan_value());
  for (std::size_t t = n; t < s.size(); ++t)
    out[t] = s.close[t - n] == 0 ? 0.0 : 100 * (s.close[t] / s.close[t - n] - 1);
  return out;
}

std::vector<double> mom_reference(const price_series& s, int n) {
  std::vector<double> out(s.size(), nan_value());
  for (std::size_t t = n; t < s.size(); ++t) out[t] = s.close[t] - s.close[t - n];
  return out;
}

std::vector<double> run_obv(const price_series& s) {
  std::vector<double> out(s.size());
  REQUIRE(ta::obv(s.columns(), out.data()) == ta::status::ok);
  return out;
}

double volume_scale(const price_series& s) {
  double sum = 0;
  for (double v : s.volume) sum += v;
  return sum / static_cast<double>(s.size());
}

}  // namespace

TEST_CASE("obv: batch equals the definition and streaming equals batch") {
  for_each_input([](const price_series& s, const std::string& what) {
    CAPTURE(what);
    const auto got = run_obv(s);
    check_close(got, obv_reference(s), 1e-9 * volume_scale(s), "obv");
    check_stream_matches<ta::obv_stream>(s, {got});
  });
}

TEST_CASE("willr, roc, mom: batch equals the definition and streaming equals batch") {
  for_each_input([](const price_series& s, const std::string& what) {
    CAPTURE(what);
    // Every even period up to 16 has its own blocked MOM loop.
    for (int n : {1, 2, 3, 4, 6, 8, 10, 12, 14, 16, 17, 50}) {
      CAPTURE(n);
      if (n >= 2) {
        const auto w = run(ta::willr, s, n);
        check_close(w, willr_reference(s, n), 1e-9, "willr");
        check_stream_matches<ta::willr_stream>(s, {w}, n);
      }
      const auto r = run(ta::roc, s, n);
      check_close(r, roc_reference(s, n), 1e-9, "roc");
      check_stream_matches<ta::roc_stream>(s, {r}, n);
      const auto m = run(ta::mom, s, n);
      check_close(m, mom_reference(s, n), 0.0, "mom");
      check_stream_matches<ta::mom_stream>(s, {m}, n);
    }
  });
}

TEST_CASE("obv, willr, roc, mom: TA-Lib fixtures") {
  for (const auto& name : fixture_names()) {
    const price_series s = from_columns(fixture_named(name).columns());
    check_fixture(name, "obv", "value", run_obv(s), 1e-9 * volume_scale(s));
    check_fixture(name, "willr_14", "value", run(ta::willr, s, 14), 1e-7);
    check_fixture(name, "roc_10", "value", run(ta::roc, s, 10), 1e-7);
    check_fixture(name, "mom_10", "value", run(ta::mom, s, 10), 1e-9 * price_scale(s));
  }
}

TEST_CASE("obv: starts at the first volume, ignores equal closes and zero volume") {
  price_series s;
  const double closes[] = {10, 11, 11, 10, 12, 12};
  const double volumes[] = {5, 3, 100, 2, 0, 7};
  for (int i = 0; i < 6; ++i) {
    s.open.push_back(closes[i]);
    s.high.push_back(closes[i]);
    s.low.push_back(closes[i]);
    s.close.push_back(closes[i]);
    s.volume.push_back(volumes[i]);
  }
  const auto got = run_obv(s);
  const std::vector<double> want = {5, 8, 8, 6, 6, 6};
  CHECK(got == want);
}

TEST_CASE("willr: a flat window reads 0, the top of the range 0, the bottom -100") {
  price_series s;
  for (int i = 0; i < 20; ++i) {
    const double p = i < 14 ? 7.0 : 7.0 + (i - 13);
    s.open.push_back(p);
    s.high.push_back(p);
    s.low.push_back(p);
    s.close.push_back(p);
    s.volume.push_back(1);
  }
  auto got = run(ta::willr, s, 14);
  CHECK(std::isnan(got[12]));
  CHECK(got[13] == 0.0);          // HH == LL
  CHECK(got[16] == 0.0);          // closing at the highest high
  s.close[19] = s.low[19] = 7.0;  // close at the lowest low of the window
  got = run(ta::willr, s, 14);
  CHECK(got[19] == doctest::Approx(-100.0));
}

TEST_CASE("roc: an old close of 0 gives 0") {
  price_series s;
  for (int i = 0; i < 12; ++i) {
    const double p = i == 1 ? 0.0 : 3.0;
    s.open.push_back(p);
    s.high.push_back(p);
    s.low.push_back(p);
    s.close.push_back(p);
    s.volume.push_back(1);
  }
  const auto got = run(ta::roc, s, 10);
  CHECK(got[11] == 0.0);
  CHECK(got[10] == 0.0);  // 3 / 3 - 1
}
