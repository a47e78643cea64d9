// Shared by the catalog-wide tests: the public fixtures, a candle set with
// every column filled (taker buy volume and open time too), and helpers to
// run a catalog entry in batch and streaming form.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fixture.hpp"
#include "vyx/indicators/catalog.hpp"

namespace vyx::test {

inline const fixture& public_fixture(int n) {
  static fixture loaded[3];
  static bool done[3] = {false, false, false};
  fixture& f = loaded[n - 1];
  if (!done[n - 1]) {
    std::string error;
    const std::string path =
        std::string(VYX_FIXTURE_DIR) + "/public_" + std::to_string(n) + ".json";
    REQUIRE_MESSAGE(load_fixture(path, f, error), error);
    done[n - 1] = true;
  }
  return f;
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

inline bool same_bits(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  return std::memcmp(&a, &b, sizeof a) == 0;
}

}  // namespace vyx::test
