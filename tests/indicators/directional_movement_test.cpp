// PLUS_DI, MINUS_DI and ADX against slow references written from the
// definitions (TA-Lib's 13-bar seed sums), the fixtures and streaming.
#include <algorithm>
#include <cmath>

#include "test_data.hpp"
#include "vyx/indicators/adx.hpp"
#include "vyx/indicators/minus_di.hpp"
#include "vyx/indicators/plus_di.hpp"

namespace {

using namespace vyx;
using namespace vyx::test;

struct di_series {
  std::vector<double> plus, minus, dx;  // dx NaN where undefined
};

// +DM/-DM/TR per bar from bar 1; sums seeded over bars 1..n-1, then
// S = S - S/n + x from bar n; DI = 100 S(DM)/S(TR) (0 if S(TR) < 1e-14).
di_series di_reference(const price_series& s, int n) {
  const std::size_t size = s.size();
  di_series r{std::vector<double>(size, nan_value()), std::vector<double>(size, nan_value()),
              std::vector<double>(size, nan_value())};
  long double sp = 0, sm = 0, st = 0;
  for (std::size_t t = 1; t < size; ++t) {
    const double up = s.high[t] - s.high[t - 1];
    const double down = s.low[t - 1] - s.low[t];
    const double pdm = (up > down && up > 0) ? up : 0;
    const double mdm = (down > up && down > 0) ? down : 0;
    const double tr = std::max({s.high[t] - s.low[t], std::fabs(s.high[t] - s.close[t - 1]),
                                std::fabs(s.low[t] - s.close[t - 1])});
    if (t < static_cast<std::size_t>(n)) {
      sp += pdm;
      sm += mdm;
      st += tr;
      continue;
    }
    sp = sp - sp / n + pdm;
    sm = sm - sm / n + mdm;
    st = st - st / n + tr;
    if (std::fabs(static_cast<double>(st)) < 1e-14) {
      r.plus[t] = r.minus[t] = 0;
      continue;
    }
    r.plus[t] = static_cast<double>(100 * sp / st);
    r.minus[t] = static_cast<double>(100 * sm / st);
    const double sum = r.plus[t] + r.minus[t];
    if (std::fabs(sum) >= 1e-14) r.dx[t] = 100 * std::fabs(r.plus[t] - r.minus[t]) / sum;
  }
  return r;
}

// First ADX at bar 2n-1: mean of DX over bars n..2n-1 (undefined DX adds 0);
// then Wilder smoothing, skipping bars without a DX (TA-Lib keeps the ADX).
std::vector<double> adx_reference(const price_series& s, int n) {
  const di_series d = di_reference(s, n);
  std::vector<double> out(s.size(), nan_value());
  const std::size_t first = 2 * n - 1;
  if (s.size() <= first) return out;
  long double sum = 0;
  for (std::size_t t = n; t <= first; ++t)
    if (!std::isnan(d.dx[t])) sum += d.dx[t];
  long double adx = sum / n;
  out[first] = static_cast<double>(adx);
  for (std::size_t t = first + 1; t < s.size(); ++t) {
    if (!std::isnan(d.dx[t])) adx = (adx * (n - 1) + d.dx[t]) / n;
    out[t] = static_cast<double>(adx);
  }
  return out;
}

}  // namespace

TEST_CASE("plus_di, minus_di, adx: batch equals the definition and streaming equals batch") {
  for_each_input([](const price_series& s, const std::string& what) {
    CAPTURE(what);
    for (int n : {2, 5, 14}) {
      CAPTURE(n);
      const di_series want = di_reference(s, n);
      const auto plus = run(ta::plus_di, s, n);
      const auto minus = run(ta::minus_di, s, n);
      const auto adx = run(ta::adx, s, n);
      check_close(plus, want.plus, 1e-9, "plus_di");
      check_close(minus, want.minus, 1e-9, "minus_di");
      check_close(adx, adx_reference(s, n), 1e-9, "adx");
      check_stream_matches<ta::plus_di_stream>(s, {plus}, n);
      check_stream_matches<ta::minus_di_stream>(s, {minus}, n);
      check_stream_matches<ta::adx_stream>(s, {adx}, n);
    }
  });
}

TEST_CASE("plus_di, minus_di, adx: TA-Lib fixtures") {
  for (const auto& name : fixture_names()) {
    const price_series s = from_columns(fixture_named(name).columns());
    check_fixture(name, "plus_di_14", "value", run(ta::plus_di, s, 14), 1e-7);
    check_fixture(name, "minus_di_14", "value", run(ta::minus_di, s, 14), 1e-7);
    check_fixture(name, "adx_14", "value", run(ta::adx, s, 14), 1e-7);
  }
}

TEST_CASE("directional movement: equal up and down moves count for neither side") {
  // Every bar widens the range by 1 on both sides: up == down, so no DM.
  price_series s;
  for (int i = 0; i < 40; ++i) {
    s.open.push_back(100);
    s.high.push_back(100 + i);
    s.low.push_back(100 - i);
    s.close.push_back(100);
    s.volume.push_back(1);
  }
  const auto plus = run(ta::plus_di, s, 14);
  const auto minus = run(ta::minus_di, s, 14);
  const auto adx = run(ta::adx, s, 14);
  CHECK(std::isnan(plus[13]));
  CHECK(plus[14] == 0.0);
  CHECK(minus[20] == 0.0);
  CHECK(adx[27] == 0.0);  // no DX anywhere: the sum of nothing
  CHECK(adx[39] == 0.0);
}

TEST_CASE(
    "directional movement: a flat start has no true range, DI 0, ADX seeded from the moving bars") {
  price_series s = random_series(5, 80);
  for (int i = 0; i < 16; ++i) s.open[i] = s.high[i] = s.low[i] = s.close[i] = 50.0;
  s.open[16] = 50.0;
  const auto plus = run(ta::plus_di, s, 14);
  CHECK(plus[14] == 0.0);
  CHECK(plus[15] == 0.0);
  const auto adx = run(ta::adx, s, 14);
  check_close(adx, adx_reference(s, 14), 1e-9, "adx flat start");
}

TEST_CASE("directional movement: period 1 is refused, period 2 works") {
  const price_series s = random_series(6, 50);
  std::vector<double> out(s.size());
  CHECK(ta::plus_di(s.columns(), 1, out.data()) == ta::status::invalid_option);
  CHECK(ta::adx(s.columns(), 1, out.data()) == ta::status::invalid_option);
  CHECK(ta::adx(s.columns(), 2, out.data()) == ta::status::ok);
  CHECK(std::isnan(out[2]));
  CHECK(!std::isnan(out[3]));
  ta::columns c = s.columns();
  c.size = 27;
  std::vector<double> o27(27);
  CHECK(ta::adx(c, 14, o27.data()) == ta::status::input_too_short);
  c.size = 28;
  std::vector<double> o28(28);
  CHECK(ta::adx(c, 14, o28.data()) == ta::status::ok);
  CHECK(!std::isnan(o28[27]));
}
