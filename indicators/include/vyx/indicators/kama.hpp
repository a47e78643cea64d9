// KAMA: Kaufman adaptive moving average (TA-Lib's: fast 2, slow 30 fixed).
// ER = |close − close[t−period]| / Σ|Δclose| over the last `period` changes;
// sc = (ER·(2/3 − 2/31) + 2/31)²; KAMA starts at close[period−1] and moves by
// sc·(close − KAMA) from bar `period` on.
#pragma once

#include <memory>

#include "vyx/indicators/core.hpp"

namespace vyx::ta {

int kama_lookback(int period) noexcept;

status kama(const columns& in, int period, double* out) noexcept;

class kama_stream {
 public:
  static constexpr int output_count = 1;
  static status validate(int period) noexcept {
    return period >= 1 ? status::ok : status::invalid_option;
  }
  explicit kama_stream(int period);
  int lookback() const noexcept { return period_; }
  double push(double x) noexcept;
  double peek(double x) const noexcept;
  void update(const bar& b, double* out) noexcept { *out = push(b.close); }
  void preview(const bar& b, double* out) const noexcept { *out = peek(b.close); }
  void reset() noexcept;

 private:
  int step(int slot) const noexcept { return slot == period_ ? 0 : slot + 1; }
  double path_after(double x) const noexcept;
  double next_value(double x) const noexcept;

  int period_;
  int pos_ = 0;  // next ring slot to write: holds close[t − period − 1] once full
  long count_ = 0;
  double path_ = 0;  // Σ|Δclose| over the last `period` changes
  double kama_ = 0;
  std::unique_ptr<double[]> ring_;  // the last period + 1 closes
};

}  // namespace vyx::ta
