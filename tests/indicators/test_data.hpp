// The one harness of the indicator tests: random price series (flat runs,
// zero volume, equal highs and lows, gaps), the public fixtures by name, a
// candle set with every column filled (taker buy volume and open time too),
// and helpers to run an indicator or a catalog entry in batch and streaming
// form and compare within the README's tolerances.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fixture.hpp"
#include "vyx/indicators/catalog.hpp"
#include "vyx/indicators/core.hpp"

namespace vyx::test {

// ---- random price series with the awkward cases TA-Lib fixes a rule for, the
// fixtures by name, and checks of one indicator (streaming against batch, tolerances) ----

// Equal bit for bit (NaN equals NaN).
inline bool same_bits(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  return std::memcmp(&a, &b, sizeof a) == 0;
}

struct price_series {
  std::vector<double> open, high, low, close, volume;
  ta::columns columns() const { return columns_of(open, high, low, close, volume); }
  std::size_t size() const { return close.size(); }
};

// The batch output of a one-period indicator `f` over `s` (status must be ok).
template <class F>
std::vector<double> run(F f, const price_series& s, int n) {
  std::vector<double> out(s.size());
  REQUIRE(f(s.columns(), n, out.data()) == ta::status::ok);
  return out;
}

// A random walk rounded to `decimals`, so equal highs, lows and closes occur;
// with flat zero-volume runs and occasional gaps.
inline price_series random_series(std::uint64_t seed, std::size_t bars, double start = 100.0,
                                  int decimals = 2) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> step(0.0, 0.01);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double scale = std::pow(10.0, decimals);
  auto round_price = [&](double x) { return std::round(x * scale) / scale; };
  price_series s;
  double price = start;
  std::size_t flat_left = 0;
  for (std::size_t i = 0; i < bars; ++i) {
    if (flat_left == 0 && unit(rng) < 0.01)
      flat_left = 1 + static_cast<std::size_t>(unit(rng) * 25);
    const double prev = round_price(price);
    if (flat_left > 0) {
      --flat_left;
      s.open.push_back(prev);
      s.high.push_back(prev);
      s.low.push_back(prev);
      s.close.push_back(prev);
      s.volume.push_back(0.0);
      continue;
    }
    double open = prev;
    if (unit(rng) < 0.01) open = round_price(prev * (1 + step(rng) * 5));  // gap
    price = open * std::exp(step(rng));
    const double close = round_price(price);
    const double high = round_price(std::max(open, close) * (1 + std::fabs(step(rng)) * 0.5));
    const double low = round_price(std::min(open, close) * (1 - std::fabs(step(rng)) * 0.5));
    s.open.push_back(open);
    s.high.push_back(std::max(high, std::max(open, close)));
    s.low.push_back(std::min(low, std::min(open, close)));
    s.close.push_back(close);
    s.volume.push_back(std::round(unit(rng) * 1000 * (1 + 50 * std::fabs(close - open) / open)));
    price = close;
  }
  return s;
}

inline price_series from_columns(const ta::columns& c) {
  price_series s;
  s.open.assign(c.open, c.open + c.size);
  s.high.assign(c.high, c.high + c.size);
  s.low.assign(c.low, c.low + c.size);
  s.close.assign(c.close, c.close + c.size);
  s.volume.assign(c.volume, c.volume + c.size);
  return s;
}

inline const std::vector<std::string>& fixture_names() {
  static const std::vector<std::string> names = {"public_1", "public_2", "public_3"};
  return names;
}

inline const fixture& fixture_named(const std::string& name) {
  static std::vector<std::pair<std::string, fixture>> cache;
  for (auto& [n, f] : cache)
    if (n == name) return f;
  fixture f;
  std::string error;
  REQUIRE_MESSAGE(load_fixture(std::string(VYX_FIXTURE_DIR) + "/" + name + ".json", f, error),
                  error);
  cache.emplace_back(name, std::move(f));
  return cache.back().second;
}

inline const fixture_indicator* fixture_indicator_named(const fixture& f, const std::string& id) {
  for (const auto& ind : f.indicators)
    if (ind.id == id) return &ind;
  return nullptr;
}

// Feeds every bar through a fresh Stream (preview first, then update) and
// checks both against the batch outputs bit for bit.
template <class Stream, class... Options>
void check_stream_matches(const price_series& s, const std::vector<std::vector<double>>& batch,
                          Options... options) {
  Stream stream(options...);
  constexpr int k = Stream::output_count;
  double previewed[k];
  double updated[k];
  for (std::size_t t = 0; t < s.size(); ++t) {
    ta::bar b;
    b.open = s.open[t];
    b.high = s.high[t];
    b.low = s.low[t];
    b.close = s.close[t];
    b.volume = s.volume[t];
    stream.preview(b, previewed);
    stream.update(b, updated);
    for (int j = 0; j < k; ++j) {
      if (!same_bits(previewed[j], batch[j][t]) || !same_bits(updated[j], batch[j][t])) {
        FAIL_CHECK("bar " << t << " output " << j << ": batch " << batch[j][t] << ", preview "
                          << previewed[j] << ", update " << updated[j]);
        return;
      }
    }
  }
  CHECK(true);
}

// |got - want| <= tolerance on every bar, NaN exactly where `want` is NaN.
inline void check_close(const std::vector<double>& got, const std::vector<double>& want,
                        double tolerance, const std::string& what) {
  REQUIRE(got.size() == want.size());
  std::size_t bad = 0;
  for (std::size_t t = 0; t < got.size(); ++t) {
    const bool ok =
        std::isnan(want[t]) ? std::isnan(got[t]) : std::fabs(got[t] - want[t]) <= tolerance;
    if (!ok && bad++ < 5)
      FAIL_CHECK(what << " bar " << t << ": got " << got[t] << ", want " << want[t]);
  }
  CHECK_MESSAGE(bad == 0, what << ": " << bad << " bars differ");
}

inline double nan_value() {
  return std::numeric_limits<double>::quiet_NaN();
}

// Random price_series at three price scales (including SHIB-like 1e-6 prices with
// 11 decimals) and the three fixtures' inputs.
inline void for_each_input(const std::function<void(const price_series&, const std::string&)>& fn) {
  fn(random_series(1, 3000, 100.0, 2), "random 100");
  fn(random_series(2, 3000, 60000.0, 2), "random 60000");
  fn(random_series(3, 3000, 2.5e-6, 11), "random 2.5e-6");
  for (const auto& name : fixture_names()) fn(from_columns(fixture_named(name).columns()), name);
}

// The largest close of the price_series: price-unit outputs are compared with a
// tolerance relative to it.
inline double price_scale(const price_series& s) {
  double m = 0;
  for (double c : s.close) m = std::max(m, std::fabs(c));
  return m;
}

// Compares every output of fixture indicator `id` against `got` (exact
// outputs where the fixture has them), with an absolute tolerance.
inline void check_fixture(const std::string& fixture_name, const std::string& id,
                          const std::string& output, const std::vector<double>& got,
                          double tolerance) {
  const fixture_indicator* ind = fixture_indicator_named(fixture_named(fixture_name), id);
  REQUIRE_MESSAGE(ind != nullptr, id << " missing in " << fixture_name);
  const std::vector<double>* want = ind->reference(output);
  REQUIRE(want != nullptr);
  check_close(got, *want, tolerance, fixture_name + " " + id + "." + output);
}

// ---- the catalog-wide helpers ----

inline const fixture& public_fixture(int n) {
  return fixture_named("public_" + std::to_string(n));
}

// Every column, owned.
struct candles {
  std::vector<std::int64_t> open_time;
  std::vector<double> open, high, low, close, volume, taker_buy;

  std::size_t size() const { return close.size(); }
  ta::columns columns() const {
    ta::columns c;
    c.open = open.data(), c.high = high.data(), c.low = low.data(), c.close = close.data();
    c.volume = volume.data(), c.size = close.size(), c.open_time = open_time.data();
    c.taker_buy_volume = taker_buy.data();
    return c;
  }
  ta::bar bar_at(std::size_t i) const {
    ta::bar b;
    b.open = open[i], b.high = high[i], b.low = low[i], b.close = close[i], b.volume = volume[i];
    b.open_time = open_time[i], b.taker_buy_volume = taker_buy[i];
    return b;
  }
};

inline candles from_fixture(const fixture& f) {
  candles c;
  c.open_time = f.open_time, c.open = f.open, c.high = f.high, c.low = f.low, c.close = f.close,
  c.volume = f.volume;
  c.taker_buy.resize(f.volume.size());
  for (std::size_t i = 0; i < f.volume.size(); ++i)
    c.taker_buy[i] = std::floor(f.volume[i] * 0.37 * 1e4) / 1e4;
  return c;
}

// A random walk at `price` with `bars` bars; 15-minute bars across several
// UTC days. flat: constant price; zero_volume: no volume at all.
inline candles random_candles(std::uint64_t seed, std::size_t bars, double price, bool flat = false,
                              bool zero_volume = false) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> step(0, 0.01);
  std::uniform_real_distribution<double> unit(0, 1);
  candles c;
  double last = price;
  for (std::size_t i = 0; i < bars; ++i) {
    const double open = last;
    const double close = flat ? price : open * std::exp(step(rng));
    const double high = flat ? price : std::max(open, close) * (1 + 0.005 * unit(rng));
    const double low = flat ? price : std::min(open, close) * (1 - 0.005 * unit(rng));
    const double volume = zero_volume ? 0 : 1000 * unit(rng) * (unit(rng) < 0.05 ? 0 : 1);
    c.open_time.push_back(1'700'000'000'000 + static_cast<std::int64_t>(i) * 900'000);
    c.open.push_back(open), c.high.push_back(high), c.low.push_back(low), c.close.push_back(close);
    c.volume.push_back(volume), c.taker_buy.push_back(volume * unit(rng));
    last = close;
  }
  return c;
}

// Outputs of one batch run: outputs[k][i].
struct batch_result {
  ta::status status;
  std::vector<std::vector<double>> outputs;
};

inline batch_result run_batch(const ta::indicator_info& info, const ta::columns& in,
                              const double* options) {
  batch_result r;
  r.outputs.assign(info.outputs.size(), std::vector<double>(in.size, 12345.0));
  std::vector<double*> ptrs;
  for (auto& o : r.outputs) ptrs.push_back(o.data());
  r.status = info.batch(in, options, ptrs.data());
  return r;
}

enum class tolerance_kind { relative, oscillator, price_difference, volume };

// The README's tolerance table.
inline tolerance_kind kind_of(std::string_view id) {
  static const std::set<std::string_view> relative = {"sma",  "ema",  "wma", "dema",
                                                      "tema", "kama", "sar", "bbands"};
  static const std::set<std::string_view> price_difference = {"macd", "mom", "atr", "trange"};
  if (relative.count(id)) return tolerance_kind::relative;
  if (price_difference.count(id)) return tolerance_kind::price_difference;
  if (id == "obv") return tolerance_kind::volume;
  return tolerance_kind::oscillator;
}

inline double allowed(tolerance_kind kind, double reference, double close, double typical_volume) {
  switch (kind) {
    case tolerance_kind::relative:
      return 1e-9 * std::fabs(reference);
    case tolerance_kind::oscillator:
      return 1e-7;
    case tolerance_kind::price_difference:
      return 1e-9 * close;
    case tolerance_kind::volume:
      return 1e-9 * typical_volume;
  }
  return 0;
}

}  // namespace vyx::test
