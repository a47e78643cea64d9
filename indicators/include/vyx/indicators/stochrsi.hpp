// Stochastic RSI, two forms:
// - STOCHRSI(rsi, k, d), TA-Lib's: fastk = 100·(RSI − min)/(max − min) over
//   the last k RSI values (0 when max = min), not smoothed; fastd = SMA(d) of
//   fastk. Both start at bar rsi + k−1 + d−1.
// - stochrsi_smoothed(rsi, stoch, k, d), the chart-style "Stoch RSI 14 14 3 3":
//   k = SMA(k) of that fastk (over `stoch` RSI values), d = SMA(d) of k.
#pragma once

#include "vyx/indicators/rsi.hpp"
#include "vyx/indicators/sma.hpp"
#include "vyx/indicators/stoch.hpp"
#include "vyx/indicators/window.hpp"

namespace vyx::ta {

// RSI, then its position in the range of its last `period` values.
class rsi_stochastic {
 public:
  rsi_stochastic(int rsi_period, int period)
      : rsi_(rsi_period), highest_(period), lowest_(period), period_(period) {}
  double push(double close) noexcept {
    const double r = rsi_.push(close);
    if (r != r) return no_value;
    const double hh = highest_.push(r);
    const double ll = lowest_.push(r);
    if (highest_.pushed() < period_) return no_value;
    return stochastic_percent(r, hh, ll);
  }
  double peek(double close) const noexcept {
    const double r = rsi_.peek(close);
    if (r != r || highest_.pushed() + 1 < period_) return no_value;
    return stochastic_percent(r, highest_.peek(r), lowest_.peek(r));
  }
  void reset() noexcept { rsi_.reset(), highest_.reset(), lowest_.reset(); }

 private:
  rsi_core rsi_;
  extreme_window<true> highest_;
  extreme_window<false> lowest_;
  int period_;
};

int stochrsi_lookback(int rsi_period, int k, int d) noexcept;

status stochrsi(const columns& in, int rsi_period, int k, int d, double* fastk,
                double* fastd) noexcept;

class stochrsi_stream {
 public:
  static constexpr int output_count = 2;  // fastk, fastd
  static status validate(int rsi_period, int k, int d) noexcept {
    return rsi_period >= 1 && k >= 1 && d >= 1 ? status::ok : status::invalid_option;
  }
  stochrsi_stream(int rsi_period, int k, int d)
      : rsi_period_(rsi_period), k_(k), d_(d), fast_(rsi_period, k), d_sma_(d) {}
  int lookback() const noexcept { return stochrsi_lookback(rsi_period_, k_, d_); }
  void update(const bar& b, double* out) noexcept {
    const double fk = fast_.push(b.close);
    const double fd = fk != fk ? no_value : d_sma_.push(fk);
    out[0] = fd != fd ? no_value : fk;
    out[1] = fd;
  }
  void preview(const bar& b, double* out) const noexcept {
    const double fk = fast_.peek(b.close);
    const double fd = fk != fk ? no_value : d_sma_.peek(fk);
    out[0] = fd != fd ? no_value : fk;
    out[1] = fd;
  }
  void reset() noexcept { fast_.reset(), d_sma_.reset(); }

 private:
  int rsi_period_, k_, d_;
  rsi_stochastic fast_;
  sma_stream d_sma_;
};

int stochrsi_smoothed_lookback(int rsi_period, int stoch_period, int k, int d) noexcept;

status stochrsi_smoothed(const columns& in, int rsi_period, int stoch_period, int k, int d,
                         double* k_line, double* d_line) noexcept;

class stochrsi_smoothed_stream {
 public:
  static constexpr int output_count = 2;  // k, d
  static status validate(int rsi_period, int stoch_period, int k, int d) noexcept {
    return rsi_period >= 1 && stoch_period >= 1 && k >= 1 && d >= 1 ? status::ok
                                                                    : status::invalid_option;
  }
  stochrsi_smoothed_stream(int rsi_period, int stoch_period, int k, int d)
      : rsi_period_(rsi_period),
        stoch_period_(stoch_period),
        k_(k),
        d_(d),
        fast_(rsi_period, stoch_period),
        k_sma_(k),
        d_sma_(d) {}
  int lookback() const noexcept {
    return stochrsi_smoothed_lookback(rsi_period_, stoch_period_, k_, d_);
  }
  void update(const bar& b, double* out) noexcept {
    const double fk = fast_.push(b.close);
    const double sk = fk != fk ? no_value : k_sma_.push(fk);
    const double sd = sk != sk ? no_value : d_sma_.push(sk);
    out[0] = sd != sd ? no_value : sk;
    out[1] = sd;
  }
  void preview(const bar& b, double* out) const noexcept {
    const double fk = fast_.peek(b.close);
    const double sk = fk != fk ? no_value : k_sma_.peek(fk);
    const double sd = sk != sk ? no_value : d_sma_.peek(sk);
    out[0] = sd != sd ? no_value : sk;
    out[1] = sd;
  }
  void reset() noexcept { fast_.reset(), k_sma_.reset(), d_sma_.reset(); }

 private:
  int rsi_period_, stoch_period_, k_, d_;
  rsi_stochastic fast_;
  sma_stream k_sma_, d_sma_;
};

}  // namespace vyx::ta
