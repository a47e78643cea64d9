// CCI and MFI against slow references written from the definitions, the
// fixtures (CCI's exact outputs, not TA-Lib's -66.67 artifact), streaming,
// and their zero rules.
#include <algorithm>
#include <cmath>

#include "test_data.hpp"
#include "vyx/indicators/cci.hpp"
#include "vyx/indicators/mfi.hpp"

namespace {

using namespace vyx;
using namespace vyx::test;

double tp_of(const price_series& s, std::size_t t) {
  return (s.high[t] + s.low[t] + s.close[t]) / 3;
}

// Mean and mean deviation in long double: a window of equal prices gives an
// exact mean, hence exactly 0.
std::vector<double> cci_reference(const price_series& s, int n) {
  std::vector<double> out(s.size(), nan_value());
  for (std::size_t t = n - 1; t < s.size(); ++t) {
    long double sum = 0;
    for (std::size_t i = t + 1 - n; i <= t; ++i) sum += tp_of(s, i);
    const long double mean = sum / n;
    long double dev = 0;
    for (std::size_t i = t + 1 - n; i <= t; ++i) dev += std::fabs(tp_of(s, i) - mean);
    dev /= n;
    const long double diff = tp_of(s, t) - mean;
    out[t] = (diff == 0 || dev == 0) ? 0.0 : static_cast<double>(diff / (0.015L * dev));
  }
  return out;
}

// Positive/negative flow over the last n bars, each compared with its
// predecessor; 0 when pos + neg < 1.
std::vector<double> mfi_reference(const price_series& s, int n) {
  std::vector<double> out(s.size(), nan_value());
  for (std::size_t t = n; t < s.size(); ++t) {
    long double pos = 0, neg = 0;
    for (std::size_t i = t + 1 - n; i <= t; ++i) {
      const double tp = tp_of(s, i), prev = tp_of(s, i - 1);
      if (tp > prev) pos += tp * s.volume[i];
      if (tp < prev) neg += tp * s.volume[i];
    }
    out[t] = pos + neg < 1 ? 0.0 : static_cast<double>(100 * pos / (pos + neg));
  }
  return out;
}

price_series constant(std::size_t bars, double price, double volume) {
  price_series s;
  for (std::size_t i = 0; i < bars; ++i) {
    s.open.push_back(price);
    s.high.push_back(price);
    s.low.push_back(price);
    s.close.push_back(price);
    s.volume.push_back(volume);
  }
  return s;
}

}  // namespace

TEST_CASE("cci: batch equals the definition and streaming equals batch") {
  for_each_input([](const price_series& s, const std::string& what) {
    CAPTURE(what);
    for (int n : {2, 3, 7, 20, 21}) {
      CAPTURE(n);
      const auto got = run(ta::cci, s, n);
      check_close(got, cci_reference(s, n), 1e-8, "cci");
      check_stream_matches<ta::cci_stream>(s, {got}, n);
    }
  });
}

TEST_CASE("cci: fixtures, exact outputs on the flat window of public_3") {
  for (const auto& name : fixture_names()) {
    const price_series s = from_columns(fixture_named(name).columns());
    check_fixture(name, "cci_20", "value", run(ta::cci, s, 20), 1e-7);
  }
  const price_series s = from_columns(fixture_named("public_3").columns());
  const auto got = run(ta::cci, s, 20);
  for (std::size_t t = 359; t <= 363; ++t) CHECK(got[t] == 0.0);
}

TEST_CASE("cci: a window of identical bars is exactly 0 at any price level") {
  for (double price : {1.0, 0.1, 2.32337e-6, 65498.42, 3176.15}) {
    CAPTURE(price);
    const auto got = run(ta::cci, constant(30, price, 1), 20);
    CHECK(std::isnan(got[18]));
    for (std::size_t t = 19; t < 30; ++t) CHECK(got[t] == 0.0);
  }
}

TEST_CASE("mfi: batch equals the definition and streaming equals batch") {
  for_each_input([](const price_series& s, const std::string& what) {
    CAPTURE(what);
    for (int n : {2, 14, 30}) {
      CAPTURE(n);
      const auto got = run(ta::mfi, s, n);
      check_close(got, mfi_reference(s, n), 1e-7, "mfi");
      check_stream_matches<ta::mfi_stream>(s, {got}, n);
    }
  });
}

TEST_CASE("mfi: TA-Lib fixtures, including 0 over zero-volume bars") {
  for (const auto& name : fixture_names()) {
    const price_series s = from_columns(fixture_named(name).columns());
    check_fixture(name, "mfi_14", "value", run(ta::mfi, s, 14), 1e-7);
  }
  const price_series s = from_columns(fixture_named("public_3").columns());
  const auto got = run(ta::mfi, s, 14);
  for (std::size_t t = 353; t <= 363; ++t) CHECK(got[t] == 0.0);
}

TEST_CASE("mfi: the 1.0 threshold on the total flow and flows of unchanged prices") {
  // Rising prices, all flow positive: 100 once the traded value reaches 1.
  price_series s;
  for (int i = 0; i < 20; ++i) {
    const double p = 1.0 + 0.01 * i;
    s.open.push_back(p);
    s.high.push_back(p);
    s.low.push_back(p);
    s.close.push_back(p);
    s.volume.push_back(0.05);  // 14 bars * ~1.1 * 0.05 < 1
  }
  auto got = run(ta::mfi, s, 14);
  CHECK(got[14] == 0.0);
  for (double& v : s.volume) v = 0.1;  // 14 * ~1.1 * 0.1 > 1
  got = run(ta::mfi, s, 14);
  CHECK(got[14] == doctest::Approx(100.0));
  // Unchanged typical prices count on neither side.
  const auto flat = run(ta::mfi, constant(20, 5.0, 1000), 14);
  CHECK(flat[19] == 0.0);
}

TEST_CASE("cci, mfi: options and short inputs") {
  const price_series s = random_series(8, 30);
  std::vector<double> out(s.size());
  CHECK(ta::cci(s.columns(), 1, out.data()) == ta::status::invalid_option);
  CHECK(ta::mfi(s.columns(), 1, out.data()) == ta::status::invalid_option);
  ta::columns c = s.columns();
  c.size = 14;
  CHECK(ta::mfi(c, 14, out.data()) == ta::status::input_too_short);
  c.size = 15;
  CHECK(ta::mfi(c, 14, out.data()) == ta::status::ok);
  c.volume = nullptr;
  CHECK(ta::mfi(c, 14, out.data()) == ta::status::invalid_input);
  c.size = 19;
  CHECK(ta::cci(c, 20, out.data()) == ta::status::input_too_short);
}
