// STOCH(k, slow_k, d), the slow stochastic: fast %K = 100·(close − LL)/(HH − LL)
// over the last k bars (0 when HH = LL), slowK = SMA(slow_k) of fast %K, slowD
// = SMA(d) of slowK. Both outputs start where slowD does, as in TA-Lib.
#pragma once

#include "vyx/indicators/core.hpp"
#include "vyx/indicators/sma.hpp"
#include "vyx/indicators/window.hpp"

namespace vyx::ta {

// Where in the [LL, HH] range x sits, in percent; 0 for an empty range.
inline double stochastic_percent(double x, double highest, double lowest) noexcept {
  const double range = highest - lowest;
  return range != 0 ? 100.0 * ((x - lowest) / range) : 0.0;
}

int stoch_lookback(int k, int slow_k, int d) noexcept;

status stoch(const columns& in, int k, int slow_k, int d, double* slowk, double* slowd) noexcept;

class stoch_stream {
 public:
  static constexpr int output_count = 2;  // slowk, slowd
  static status validate(int k, int slow_k, int d) noexcept {
    return k >= 1 && slow_k >= 1 && d >= 1 ? status::ok : status::invalid_option;
  }
  stoch_stream(int k, int slow_k, int d)
      : k_(k), slow_k_(slow_k), d_(d), highest_(k), lowest_(k), k_sma_(slow_k), d_sma_(d) {}
  int lookback() const noexcept { return stoch_lookback(k_, slow_k_, d_); }

  void update(const bar& b, double* out) noexcept {
    const double hh = highest_.push(b.high);
    const double ll = lowest_.push(b.low);
    out[0] = out[1] = no_value;
    if (highest_.pushed() < k_) return;
    const double sk = k_sma_.push(stochastic_percent(b.close, hh, ll));
    if (sk != sk) return;
    const double sd = d_sma_.push(sk);
    if (sd != sd) return;
    out[0] = sk, out[1] = sd;
  }
  void preview(const bar& b, double* out) const noexcept {
    out[0] = out[1] = no_value;
    if (highest_.pushed() + 1 < k_) return;
    const double fk = stochastic_percent(b.close, highest_.peek(b.high), lowest_.peek(b.low));
    const double sk = k_sma_.peek(fk);
    if (sk != sk) return;
    const double sd = d_sma_.peek(sk);
    if (sd != sd) return;
    out[0] = sk, out[1] = sd;
  }
  void reset() noexcept { highest_.reset(), lowest_.reset(), k_sma_.reset(), d_sma_.reset(); }

 private:
  int k_, slow_k_, d_;
  extreme_window<true> highest_;
  extreme_window<false> lowest_;
  sma_stream k_sma_, d_sma_;
};

}  // namespace vyx::ta
