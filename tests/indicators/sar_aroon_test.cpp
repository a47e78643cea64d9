// SAR and AROON against slow references written from the definitions, the
// fixtures, streaming, a hand-worked SAR flip and AROON's tie rule.
#include <algorithm>
#include <cmath>

#include "test_data.hpp"
#include "vyx/indicators/aroon.hpp"
#include "vyx/indicators/sar.hpp"

namespace {

using namespace vyx;
using namespace vyx::test;

// The rules as stated in the fixture README, one bar at a time.
std::vector<double> sar_reference(const price_series& s, double step, double cap) {
  std::vector<double> out(s.size(), nan_value());
  if (s.size() < 2) return out;
  if (step > cap) step = cap;
  const double up1 = s.high[1] - s.high[0];
  const double down1 = s.low[0] - s.low[1];
  bool is_long = !(down1 > 0 && down1 > up1);
  double stop = is_long ? s.low[0] : s.high[0];
  double extreme = is_long ? s.high[1] : s.low[1];
  double factor = step;
  for (std::size_t t = 1; t < s.size(); ++t) {
    const double prev_high = s.high[t == 1 ? 1 : t - 1];
    const double prev_low = s.low[t == 1 ? 1 : t - 1];
    const double high = s.high[t], low = s.low[t];
    if (is_long && low <= stop) {
      const double value = std::max({extreme, prev_high, high});
      out[t] = value;
      is_long = false;
      factor = step;
      extreme = low;
      stop = std::max({value + factor * (extreme - value), prev_high, high});
    } else if (!is_long && high >= stop) {
      const double value = std::min({extreme, prev_low, low});
      out[t] = value;
      is_long = true;
      factor = step;
      extreme = high;
      stop = std::min({value + factor * (extreme - value), prev_low, low});
    } else if (is_long) {
      out[t] = stop;
      if (high > extreme) {
        extreme = high;
        factor = std::min(factor + step, cap);
      }
      stop = std::min({stop + factor * (extreme - stop), prev_low, low});
    } else {
      out[t] = stop;
      if (low < extreme) {
        extreme = low;
        factor = std::min(factor + step, cap);
      }
      stop = std::max({stop + factor * (extreme - stop), prev_high, high});
    }
  }
  return out;
}

struct aroon_pair {
  std::vector<double> down, up;
};

aroon_pair aroon_reference(const price_series& s, int n) {
  aroon_pair r{std::vector<double>(s.size(), nan_value()), std::vector<double>(s.size(), nan_value())};
  for (std::size_t t = n; t < s.size(); ++t) {
    std::size_t hi = t - n, lo = t - n;
    for (std::size_t i = t - n; i <= t; ++i) {
      if (s.high[i] >= s.high[hi]) hi = i;  // ties: the most recent
      if (s.low[i] <= s.low[lo]) lo = i;
    }
    r.up[t] = 100.0 * static_cast<double>(n - static_cast<int>(t - hi)) / n;
    r.down[t] = 100.0 * static_cast<double>(n - static_cast<int>(t - lo)) / n;
  }
  return r;
}

std::vector<double> run_sar(const price_series& s, double step, double cap) {
  std::vector<double> out(s.size());
  REQUIRE(ta::sar(s.columns(), step, cap, out.data()) == ta::status::ok);
  return out;
}

aroon_pair run_aroon(const price_series& s, int n) {
  aroon_pair r{std::vector<double>(s.size()), std::vector<double>(s.size())};
  REQUIRE(ta::aroon(s.columns(), n, r.down.data(), r.up.data()) == ta::status::ok);
  return r;
}

price_series from_hl(const std::vector<double>& high, const std::vector<double>& low) {
  price_series s;
  for (std::size_t i = 0; i < high.size(); ++i) {
    s.open.push_back((high[i] + low[i]) / 2);
    s.high.push_back(high[i]);
    s.low.push_back(low[i]);
    s.close.push_back((high[i] + low[i]) / 2);
    s.volume.push_back(1);
  }
  return s;
}

}  // namespace

TEST_CASE("sar: batch equals the rules and streaming equals batch") {
  for_each_input([](const price_series& s, const std::string& what) {
    CAPTURE(what);
    const std::pair<double, double> settings[] = {
        {0.02, 0.2}, {0.01, 0.1}, {0.05, 0.5}, {0.3, 0.2}};
    for (auto [step, cap] : settings) {
      CAPTURE(step);
      const auto got = run_sar(s, step, cap);
      check_close(got, sar_reference(s, step, cap), 1e-12 * price_scale(s), "sar");
      check_stream_matches<ta::sar_stream>(s, {got}, step, cap);
    }
  });
}

TEST_CASE("sar: TA-Lib fixtures") {
  for (const auto& name : fixture_names()) {
    const price_series s = from_columns(fixture_named(name).columns());
    const auto got = run_sar(s, 0.02, 0.2);
    const auto* want = fixture_indicator_named(fixture_named(name), "sar_0.02_0.2")->reference("value");
    REQUIRE(want != nullptr);
    std::vector<double> diff(s.size());
    for (std::size_t t = 0; t < s.size(); ++t)
      diff[t] = std::fabs(got[t] - (*want)[t]) / std::fabs((*want)[t]);
    diff[0] = 0;
    CHECK(std::isnan(got[0]));
    CHECK(*std::max_element(diff.begin(), diff.end()) <= 1e-9);
  }
}

TEST_CASE("sar: a long start, a rising extreme, then the flip to short") {
  const price_series s = from_hl({10, 11, 12, 11, 11.5, 11}, {9, 9.5, 10.5, 9.0, 8.5, 8});
  const auto got = run_sar(s, 0.02, 0.2);
  CHECK(std::isnan(got[0]));
  CHECK(got[1] == 9.0);                    // long: the low of bar 0
  CHECK(got[2] == doctest::Approx(9.04));  // 9 + 0.02 * (11 - 9)
  CHECK(got[3] == 12.0);                   // low 9 <= 9.1584: flip, value = old extreme
  CHECK(got[4] == 12.0);                   // 12 - 0.06, kept at the highs of bars 2..3
  CHECK(got[5] == doctest::Approx(12 + 0.04 * (8.5 - 12)));
}

TEST_CASE("sar: the side starts short when bar 1's low falls more than its high rises") {
  const price_series s = from_hl({10, 9.8, 9.7, 10.5}, {9, 8, 7.9, 9.5});
  const auto got = run_sar(s, 0.02, 0.2);
  CHECK(got[1] == 10.0);                   // short: the high of bar 0
  CHECK(got[2] == doctest::Approx(9.96));  // 10 + 0.02 * (8 - 10)
  // Bar 3's high reaches the stop: flip to long at the old extreme (7.9),
  // which is already below the lows of bars 2 and 3.
  CHECK(got[3] == 7.9);
}

TEST_CASE("sar: options") {
  const price_series s = random_series(4, 10);
  std::vector<double> out(s.size());
  CHECK(ta::sar(s.columns(), -0.01, 0.2, out.data()) == ta::status::invalid_option);
  CHECK(ta::sar(s.columns(), 0.02, std::nan(""), out.data()) == ta::status::invalid_option);
  ta::columns c = s.columns();
  c.size = 1;
  CHECK(ta::sar(c, 0.02, 0.2, out.data()) == ta::status::input_too_short);
}

TEST_CASE("aroon: batch equals the definition and streaming equals batch") {
  for_each_input([](const price_series& s, const std::string& what) {
    CAPTURE(what);
    for (int n : {2, 14, 25}) {
      CAPTURE(n);
      const aroon_pair got = run_aroon(s, n);
      const aroon_pair want = aroon_reference(s, n);
      check_close(got.down, want.down, 1e-12, "aroon down");
      check_close(got.up, want.up, 1e-12, "aroon up");
      check_stream_matches<ta::aroon_stream>(s, {got.down, got.up}, n);
    }
  });
}

TEST_CASE("aroon: TA-Lib fixtures") {
  for (const auto& name : fixture_names()) {
    const price_series s = from_columns(fixture_named(name).columns());
    const aroon_pair got = run_aroon(s, 14);
    check_fixture(name, "aroon_14", "down", got.down, 1e-7);
    check_fixture(name, "aroon_14", "up", got.up, 1e-7);
  }
}

TEST_CASE("aroon: ties go to the most recent bar - a flat window reads 100 and 100") {
  // Highs: the maximum 7 at bars 1 and 3; lows: the minimum 1 at bars 0 and 2.
  const price_series s = from_hl({5, 7, 6, 7, 6}, {1, 2, 1, 3, 2});
  const aroon_pair got = run_aroon(s, 4);
  CHECK(got.up[4] == doctest::Approx(75.0));    // 1 bar since bar 3
  CHECK(got.down[4] == doctest::Approx(50.0));  // 2 bars since bar 2
  const price_series flat = from_hl(std::vector<double>(20, 3.0), std::vector<double>(20, 3.0));
  const aroon_pair f = run_aroon(flat, 14);
  CHECK(std::isnan(f.up[13]));
  CHECK(f.up[14] == 100.0);
  CHECK(f.down[19] == 100.0);
}
