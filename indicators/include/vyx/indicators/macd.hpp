// MACD(fast, slow, signal), TA-Lib's seeding: both EMAs start at bar slow−1,
// the slow one seeded with the mean of closes 0..slow−1 and the fast one with
// the mean of the `fast` closes ending there; the signal is an EMA of the MACD
// line seeded with its first `signal` values. All three outputs start at bar
// slow−1 + signal−1. If slow < fast the two are swapped, as TA-Lib does.
#pragma once

#include "vyx/indicators/ema.hpp"

namespace vyx::ta {

int macd_lookback(int fast, int slow, int signal) noexcept;

status macd(const columns& in, int fast, int slow, int signal, double* macd_line,
            double* signal_line, double* histogram) noexcept;

class macd_stream {
 public:
  static constexpr int output_count = 3;  // macd, signal, hist
  static status validate(int fast, int slow, int signal) noexcept {
    return fast >= 1 && slow >= 1 && signal >= 1 ? status::ok : status::invalid_option;
  }
  macd_stream(int fast, int slow, int signal) noexcept
      : fast_period_(fast < slow ? fast : slow),
        slow_period_(fast < slow ? slow : fast),
        signal_period_(signal),
        fast_(fast_period_),
        slow_(slow_period_),
        signal_(signal) {}
  int lookback() const noexcept { return slow_period_ - 1 + signal_period_ - 1; }

  void update(const bar& b, double* out) noexcept {
    const double s = slow_.push(b.close);
    const double f = count_ >= slow_period_ - fast_period_ ? fast_.push(b.close) : no_value;
    ++count_;
    emit(f, s, &signal_, out);
  }
  void preview(const bar& b, double* out) const noexcept {
    const double s = slow_.peek(b.close);
    const double f = count_ >= slow_period_ - fast_period_ ? fast_.peek(b.close) : no_value;
    ema_core signal = signal_;
    emit(f, s, &signal, out);
  }
  void reset() noexcept { fast_.reset(), slow_.reset(), signal_.reset(), count_ = 0; }

 private:
  static void emit(double f, double s, ema_core* signal, double* out) noexcept {
    out[0] = out[1] = out[2] = no_value;
    if (s != s) return;  // the slow EMA (and so the fast one) is not ready yet
    const double m = f - s;
    const double g = signal->push(m);
    if (g != g) return;
    out[0] = m;
    out[1] = g;
    out[2] = m - g;
  }

  int fast_period_, slow_period_, signal_period_;
  ema_core fast_, slow_, signal_;
  long count_ = 0;
};

}  // namespace vyx::ta
