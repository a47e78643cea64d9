// The averages, oscillators and volume indicators against plain, slow implementations written straight
// from the definitions (fixtures/indicators/README.md, "Semantics"), on
// random data at several price scales.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "test_data.hpp"
#include "vyx/indicators.hpp"

namespace vyx::test {
namespace {

using series = std::vector<double>;
const double nan = std::nan("");

series mean_of_window(const series& x, int n) {
  series out(x.size(), nan);
  for (std::size_t i = n - 1; i < x.size() && x.size() >= static_cast<std::size_t>(n); ++i) {
    double s = 0;
    for (int k = 0; k < n; ++k) s += x[i - k];
    out[i] = s / n;
  }
  return out;
}

// EMA of the values from `first` on, seeded with the mean of the first n.
series ema_from(const series& x, std::size_t first, int n) {
  series out(x.size(), nan);
  if (x.size() < first + n) return out;
  double e = 0;
  for (int k = 0; k < n; ++k) e += x[first + k];
  e /= n;
  out[first + n - 1] = e;
  const double alpha = 2.0 / (n + 1);
  for (std::size_t i = first + n; i < x.size(); ++i) out[i] = e = e + alpha * (x[i] - e);
  return out;
}

std::size_t first_value(const series& x) {
  std::size_t i = 0;
  while (i < x.size() && std::isnan(x[i])) ++i;
  return i;
}

// Over a series with leading NaNs: SMA of its values.
series sma_after_nans(const series& x, int n) {
  series out(x.size(), nan);
  const std::size_t f = first_value(x);
  for (std::size_t i = f + n - 1; i < x.size(); ++i) {
    double s = 0;
    for (int k = 0; k < n; ++k) s += x[i - k];
    out[i] = s / n;
  }
  return out;
}

series rsi_ref(const series& x, int n) {
  series out(x.size(), nan);
  if (x.size() <= static_cast<std::size_t>(n)) return out;
  double g = 0, l = 0;
  for (int i = 1; i <= n; ++i) {
    const double d = x[i] - x[i - 1];
    g += std::max(d, 0.0), l += std::max(-d, 0.0);
  }
  g /= n, l /= n;
  out[n] = g + l == 0 ? 0 : 100 * g / (g + l);
  for (std::size_t i = n + 1; i < x.size(); ++i) {
    const double d = x[i] - x[i - 1];
    g = (g * (n - 1) + std::max(d, 0.0)) / n;
    l = (l * (n - 1) + std::max(-d, 0.0)) / n;
    out[i] = g + l == 0 ? 0 : 100 * g / (g + l);
  }
  return out;
}

// 100·(v − min)/(max − min) over the last n values of a series with leading NaNs.
series stochastic_ref(const series& v, const series& hi, const series& lo, int n) {
  series out(v.size(), nan);
  const std::size_t f = first_value(v);
  for (std::size_t i = f + n - 1; i < v.size(); ++i) {
    double h = hi[i], l = lo[i];
    for (int k = 0; k < n; ++k) h = std::max(h, hi[i - k]), l = std::min(l, lo[i - k]);
    out[i] = h == l ? 0 : 100 * (v[i] - l) / (h - l);
  }
  return out;
}

series blank_before(series x, std::size_t n) {
  for (std::size_t i = 0; i < std::min(n, x.size()); ++i) x[i] = nan;
  return x;
}

struct case_data {
  std::string name;
  candles data;
};

std::vector<case_data> data_sets() {
  return {{"100", random_candles(21, 400, 100)},
          {"60000", random_candles(22, 400, 60000)},
          {"2.4e-6", random_candles(23, 400, 2.4e-6)},
          {"flat", random_candles(24, 120, 5, true)}};
}

series run(const char* id, const candles& c, std::vector<double> options, std::size_t output = 0) {
  const ta::indicator_info* info = ta::find_indicator(id);
  REQUIRE(info != nullptr);
  const batch_result r = run_batch(*info, c.columns(), options.data());
  REQUIRE(r.status == ta::status::ok);
  return r.outputs[output];
}

// Relative tolerance for prices (scaled by the series' magnitude), absolute
// for oscillators.
void compare(const series& ours, const series& reference, double tolerance, double scale) {
  REQUIRE(ours.size() == reference.size());
  int bad = 0;
  for (std::size_t i = 0; i < ours.size(); ++i) {
    const bool ok = std::isnan(reference[i])
                        ? std::isnan(ours[i])
                        : std::fabs(ours[i] - reference[i]) <= tolerance * scale;
    if (!ok && bad++ < 3)
      FAIL_CHECK("bar " << i << ": ours " << ours[i] << " reference " << reference[i]);
  }
  CHECK(bad == 0);
}

double scale_of(const candles& c) {
  return *std::max_element(c.high.begin(), c.high.end());
}

TEST_CASE("reference: moving averages (sma, ema, wma, dema, tema, kama)") {
  for (const auto& [name, c] : data_sets()) {
    CAPTURE(name);
    const series& x = c.close;
    const double s = scale_of(c);
    for (int n : {1, 2, 5, 20}) {
      CAPTURE(n);
      compare(run("sma", c, {double(n)}), mean_of_window(x, n), 1e-12, s);
      compare(run("ema", c, {double(n)}), ema_from(x, 0, n), 1e-12, s);
      series wma(x.size(), nan);
      for (std::size_t i = n - 1; i < x.size(); ++i) {
        double num = 0;
        for (int k = 0; k < n; ++k) num += x[i - k] * (n - k);
        wma[i] = num / (n * (n + 1) / 2.0);
      }
      compare(run("wma", c, {double(n)}), wma, 1e-12, s);
      const series e1 = ema_from(x, 0, n);
      const series e2 = ema_from(e1, n - 1, n);
      const series e3 = ema_from(e2, 2 * (n - 1), n);
      series dema(x.size(), nan), tema(x.size(), nan);
      for (std::size_t i = 0; i < x.size(); ++i) {
        dema[i] = 2 * e1[i] - e2[i];
        tema[i] = 3 * e1[i] - 3 * e2[i] + e3[i];
      }
      compare(run("dema", c, {double(n)}), dema, 1e-12, s);
      compare(run("tema", c, {double(n)}), tema, 1e-12, s);
      series kama(x.size(), nan);
      if (x.size() > static_cast<std::size_t>(n)) {
        double k = x[n - 1];
        for (std::size_t i = n; i < x.size(); ++i) {
          double path = 0;
          for (int j = 0; j < n; ++j) path += std::fabs(x[i - j] - x[i - j - 1]);
          const double net = x[i] - x[i - n];
          const double er = (path <= net || path == 0) ? 1.0 : std::fabs(net) / path;
          const double sc = std::pow(er * (2.0 / 3 - 2.0 / 31) + 2.0 / 31, 2);
          kama[i] = k = k + sc * (x[i] - k);
        }
      }
      compare(run("kama", c, {double(n)}), kama, 1e-11, s);
    }
  }
}

TEST_CASE("reference: rsi, macd, bbands") {
  for (const auto& [name, c] : data_sets()) {
    CAPTURE(name);
    const series& x = c.close;
    const double s = scale_of(c);
    for (int n : {2, 14}) compare(run("rsi", c, {double(n)}), rsi_ref(x, n), 1e-9, 1);

    for (auto [fast, slow, signal] :
         {std::tuple{12, 26, 9}, std::tuple{3, 10, 4}, std::tuple{10, 3, 1}}) {
      CAPTURE(fast);
      const int f = std::min(fast, slow), sl = std::max(fast, slow);
      const series slow_ema = ema_from(x, 0, sl);
      const series fast_ema = ema_from(x, sl - f, f);
      series line(x.size(), nan);
      for (std::size_t i = sl - 1; i < x.size(); ++i) line[i] = fast_ema[i] - slow_ema[i];
      const series sig = ema_from(line, sl - 1, signal);
      const std::size_t lookback = sl - 1 + signal - 1;
      series hist(x.size(), nan);
      for (std::size_t i = 0; i < x.size(); ++i) hist[i] = line[i] - sig[i];
      compare(run("macd", c, {double(fast), double(slow), double(signal)}, 0),
              blank_before(line, lookback), 1e-12, s);
      compare(run("macd", c, {double(fast), double(slow), double(signal)}, 1), sig, 1e-12, s);
      compare(run("macd", c, {double(fast), double(slow), double(signal)}, 2),
              blank_before(hist, lookback), 1e-12, s);
    }

    for (int n : {1, 5, 20}) {
      series up(x.size(), nan), mid(x.size(), nan), low(x.size(), nan);
      for (std::size_t i = n - 1; i < x.size(); ++i) {
        double m = 0;
        for (int k = 0; k < n; ++k) m += x[i - k];
        m /= n;
        double v = 0;
        for (int k = 0; k < n; ++k) v += (x[i - k] - m) * (x[i - k] - m);
        const double sd = std::sqrt(v / n);
        up[i] = m + 2 * sd, mid[i] = m, low[i] = m - 1.5 * sd;
      }
      compare(run("bbands", c, {double(n), 2, 1.5}, 0), up, 1e-12, s);
      compare(run("bbands", c, {double(n), 2, 1.5}, 1), mid, 1e-12, s);
      compare(run("bbands", c, {double(n), 2, 1.5}, 2), low, 1e-12, s);
    }
  }
}

TEST_CASE("reference: stoch, stochrsi, stochrsi_smoothed") {
  for (const auto& [name, c] : data_sets()) {
    CAPTURE(name);
    const series fast_k = stochastic_ref(c.close, c.high, c.low, 14);
    const series slow_k = sma_after_nans(fast_k, 3);
    const series slow_d = sma_after_nans(slow_k, 3);
    compare(run("stoch", c, {14, 3, 3}, 0), blank_before(slow_k, 17), 1e-9, 1);
    compare(run("stoch", c, {14, 3, 3}, 1), slow_d, 1e-9, 1);

    const series r = rsi_ref(c.close, 14);
    const series rsi_k = stochastic_ref(r, r, r, 14);
    const series rsi_d = sma_after_nans(rsi_k, 3);
    compare(run("stochrsi", c, {14, 14, 3}, 0), blank_before(rsi_k, 29), 1e-7, 1);
    compare(run("stochrsi", c, {14, 14, 3}, 1), rsi_d, 1e-7, 1);
    const series smooth_k = sma_after_nans(rsi_k, 3);
    compare(run("stochrsi_smoothed", c, {14, 14, 3, 3}, 0), blank_before(smooth_k, 31), 1e-7, 1);
    compare(run("stochrsi_smoothed", c, {14, 14, 3, 3}, 1), sma_after_nans(smooth_k, 3), 1e-7, 1);
  }
}

TEST_CASE("reference: vwap (session, rolling), volume helpers, highest, lowest") {
  for (const auto& [name, c] : data_sets()) {
    CAPTURE(name);
    const double s = scale_of(c);
    series session(c.size(), nan);
    for (std::size_t i = 0; i < c.size(); ++i) {
      double pv = 0, v = 0;
      for (std::size_t j = i + 1; j-- > 0;) {
        if (c.open_time[j] / 86'400'000 != c.open_time[i] / 86'400'000) break;
        pv += (c.high[j] + c.low[j] + c.close[j]) / 3 * c.volume[j];
        v += c.volume[j];
      }
      session[i] = v == 0 ? (c.high[i] + c.low[i] + c.close[i]) / 3 : pv / v;
    }
    compare(run("vwap", c, {}), session, 1e-12, s);
    for (int n : {1, 7, 20}) {
      series rolling(c.size(), nan), avg(c.size(), nan), hh(c.size(), nan), ll(c.size(), nan);
      for (std::size_t i = n - 1; i < c.size(); ++i) {
        double pv = 0, v = 0, h = c.high[i], l = c.low[i];
        for (int k = 0; k < n; ++k) {
          pv += (c.high[i - k] + c.low[i - k] + c.close[i - k]) / 3 * c.volume[i - k];
          v += c.volume[i - k];
          h = std::max(h, c.high[i - k]), l = std::min(l, c.low[i - k]);
        }
        rolling[i] = v == 0 ? (c.high[i] + c.low[i] + c.close[i]) / 3 : pv / v;
        avg[i] = v / n;
        hh[i] = h, ll[i] = l;
      }
      compare(run("vwap_rolling", c, {double(n)}), rolling, 1e-12, s);
      compare(run("avg_volume", c, {double(n)}), avg, 1e-12, 1000);
      compare(run("highest", c, {double(n)}), hh, 0, 1);
      compare(run("lowest", c, {double(n)}), ll, 0, 1);
    }
    series buy = c.taker_buy, sell(c.size()), delta(c.size());
    for (std::size_t i = 0; i < c.size(); ++i)
      sell[i] = c.volume[i] - buy[i], delta[i] = buy[i] - sell[i];
    compare(run("buy_sell_volume", c, {}, 0), buy, 0, 1);
    compare(run("buy_sell_volume", c, {}, 1), sell, 0, 1);
    compare(run("buy_sell_volume", c, {}, 2), delta, 0, 1);
  }
}

TEST_CASE(
    "reference: vwap restarts at the UTC day boundary, and an all-zero-volume window is exact") {
  candles c = random_candles(5, 200, 100);
  const series v = run("vwap", c, {});
  // 15-minute bars: the first bar of each UTC day is its own typical price
  // (or the volume-weighted one when volume is 0 there).
  for (std::size_t i = 0; i < c.size(); ++i)
    if (c.volume[i] > 0 &&
        (i == 0 || c.open_time[i] / 86'400'000 != c.open_time[i - 1] / 86'400'000))
      CHECK(v[i] == doctest::Approx((c.high[i] + c.low[i] + c.close[i]) / 3).epsilon(1e-14));
  const candles quiet = random_candles(6, 100, 100, false, true);
  const series avg = run("avg_volume", quiet, {10});
  for (std::size_t i = 9; i < avg.size(); ++i) CHECK(avg[i] == 0.0);
}

TEST_CASE("reference: crossover and crossunder") {
  const series a = {1, 2, 3, 2, 1, 1, 2, nan, 3, 1};
  const series b = {2, 2, 2, 2, 2, 1, 1, 1, 1, 2};
  series over(a.size()), under(a.size());
  REQUIRE(ta::crossover(a.data(), b.data(), a.size(), over.data()) == ta::status::ok);
  REQUIRE(ta::crossunder(a.data(), b.data(), a.size(), under.data()) == ta::status::ok);
  const series want_over = {nan, 0, 1, 0, 0, 0, 1, 0, 0, 0};
  const series want_under = {nan, 0, 0, 0, 1, 0, 0, 0, 0, 1};
  compare(over, want_over, 0, 1);
  compare(under, want_under, 0, 1);
  ta::cross_stream s;
  double out[2], preview[2];
  for (std::size_t i = 0; i < a.size(); ++i) {
    s.preview(a[i], b[i], preview);
    s.update(a[i], b[i], out);
    CHECK(same_bits(out[0], over[i]));
    CHECK(same_bits(out[1], under[i]));
    CHECK(same_bits(preview[0], out[0]));
  }
  CHECK(ta::crossover(nullptr, b.data(), 3, over.data()) == ta::status::invalid_input);
  CHECK(ta::crossover(a.data(), b.data(), 0, over.data()) == ta::status::input_too_short);
}

TEST_CASE("reference: rsi is exactly constant while the close does not move") {
  candles c = random_candles(9, 100, 100);
  for (std::size_t i = 60; i < 100; ++i) c.close[i] = c.close[59];
  const series r = run("rsi", c, {14});
  for (std::size_t i = 60; i < 100; ++i) CHECK(r[i] == r[59]);
  const series k = run("stochrsi", c, {14, 14, 3}, 0);
  for (std::size_t i = 74; i < 100; ++i)
    CHECK(k[i] == 0.0);  // a window of equal RSI values reads 0
}

}  // namespace
}  // namespace vyx::test
