// TRANGE, ATR and NATR against slow references written from the definitions,
// the TA-Lib fixtures, and their streaming forms.
#include <algorithm>
#include <cmath>

#include "test_data.hpp"
#include "vyx/indicators/atr.hpp"
#include "vyx/indicators/natr.hpp"
#include "vyx/indicators/trange.hpp"

namespace {

using namespace vyx;
using namespace vyx::test;

std::vector<double> trange_reference(const price_series& s) {
  std::vector<double> out(s.size(), nan_value());
  for (std::size_t t = 1; t < s.size(); ++t)
    out[t] = std::max({s.high[t] - s.low[t], std::fabs(s.high[t] - s.close[t - 1]),
                       std::fabs(s.low[t] - s.close[t - 1])});
  return out;
}

// First value at bar n: mean of TR over bars 1..n; then Wilder smoothing.
std::vector<double> atr_reference(const price_series& s, int n) {
  const std::vector<double> tr = trange_reference(s);
  std::vector<double> out(s.size(), nan_value());
  if (s.size() <= static_cast<std::size_t>(n)) return out;
  long double sum = 0;
  for (int t = 1; t <= n; ++t) sum += tr[t];
  long double avg = sum / n;
  out[n] = static_cast<double>(avg);
  for (std::size_t t = n + 1; t < s.size(); ++t) {
    avg = (avg * (n - 1) + tr[t]) / n;
    out[t] = static_cast<double>(avg);
  }
  return out;
}

std::vector<double> run_trange(const price_series& s) {
  std::vector<double> out(s.size());
  REQUIRE(ta::trange(s.columns(), out.data()) == ta::status::ok);
  return out;
}

std::vector<double> run_atr(const price_series& s, int n) {
  std::vector<double> out(s.size());
  REQUIRE(ta::atr(s.columns(), n, out.data()) == ta::status::ok);
  return out;
}

std::vector<double> run_natr(const price_series& s, int n) {
  std::vector<double> out(s.size());
  REQUIRE(ta::natr(s.columns(), n, out.data()) == ta::status::ok);
  return out;
}

}  // namespace

TEST_CASE("trange: batch equals the definition and streaming equals batch") {
  for_each_input([](const price_series& s, const std::string& what) {
    CAPTURE(what);
    const auto got = run_trange(s);
    check_close(got, trange_reference(s), 0.0, "trange");
    check_stream_matches<ta::trange_stream>(s, {got});
  });
}

TEST_CASE("atr and natr: batch equals the definition and streaming equals batch") {
  for_each_input([](const price_series& s, const std::string& what) {
    CAPTURE(what);
    for (int n : {1, 2, 14, 30}) {
      CAPTURE(n);
      const auto got = run_atr(s, n);
      check_close(got, atr_reference(s, n), 1e-12 * price_scale(s), "atr");
      check_stream_matches<ta::atr_stream>(s, {got}, n);

      const auto natr = run_natr(s, n);
      std::vector<double> want(s.size(), nan_value());
      for (std::size_t t = n; t < s.size(); ++t) want[t] = 100 * got[t] / s.close[t];
      check_close(natr, want, 1e-10, "natr");
      check_stream_matches<ta::natr_stream>(s, {natr}, n);
    }
  });
}

TEST_CASE("trange, atr, natr: TA-Lib fixtures") {
  for (const auto& name : fixture_names()) {
    const price_series s = from_columns(fixture_named(name).columns());
    const double tolerance = 1e-9 * price_scale(s);
    check_fixture(name, "trange", "value", run_trange(s), tolerance);
    check_fixture(name, "atr_14", "value", run_atr(s, 14), tolerance);
    check_fixture(name, "natr_14", "value", run_natr(s, 14), 1e-7);
  }
}

TEST_CASE("atr: flat bars have zero true range and the average decays by 13/14") {
  price_series s;
  for (int i = 0; i < 40; ++i) {
    const double p = i < 20 ? 10.0 + (i % 2) : 10.0;  // alternating, then flat
    s.open.push_back(p);
    s.high.push_back(p);
    s.low.push_back(p);
    s.close.push_back(p);
    s.volume.push_back(0);
  }
  const auto tr = run_trange(s);
  CHECK(tr[25] == 0.0);
  const auto a = run_atr(s, 14);
  CHECK(std::isnan(a[13]));
  CHECK(a[14] == doctest::Approx(1.0));  // |10 - 11| on every bar 1..14
  CHECK(a[30] == doctest::Approx(a[29] * 13 / 14));
}

TEST_CASE("atr: options and short inputs") {
  const price_series s = random_series(9, 20);
  std::vector<double> out(s.size(), 0.0);
  CHECK(ta::atr(s.columns(), 0, out.data()) == ta::status::invalid_option);
  CHECK(std::isnan(out[5]));
  CHECK(ta::atr(s.columns(), 20, out.data()) == ta::status::input_too_short);
  CHECK(std::all_of(out.begin(), out.end(), [](double v) { return std::isnan(v); }));
  CHECK(ta::atr(s.columns(), 19, out.data()) == ta::status::ok);
  CHECK(!std::isnan(out[19]));
  ta::columns missing = s.columns();
  missing.high = nullptr;
  CHECK(ta::atr(missing, 14, out.data()) == ta::status::invalid_input);
  CHECK(ta::trange(missing, out.data()) == ta::status::invalid_input);
}
