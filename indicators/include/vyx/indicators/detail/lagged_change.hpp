// MOM and ROC streaming: a function of the close and the close `period` bars
// back, which a ring of the last `period` closes (allocated once) supplies.
// The two indicators differ only in that function (shared with their batch
// forms, so both forms do the same operation).
#pragma once

#include <cstdint>
#include <memory>

#include "vyx/indicators/core.hpp"

namespace vyx::ta::detail {

// MOM: the change in price units.
inline double momentum(double close, double old) noexcept {
  return close - old;
}

// ROC, rounded as TA-Lib does: ((close / old) - 1) * 100, 0 when old is 0.
// The division is unconditional (by 1 where TA-Lib has no value) so that the
// batch loop vectorizes: two divisions per instruction, the bound there.
inline double rate_of_change(double close, double old) noexcept {
  const bool defined = old != 0.0;
  const double percent = ((close / (defined ? old : 1.0)) - 1.0) * 100.0;
  return defined ? percent : 0.0;
}

template <double (*Change)(double close, double old) noexcept>
class lagged_change_stream {
 public:
  static constexpr int output_count = 1;
  static status validate(int period) noexcept {
    return period >= 1 && period <= 100000 ? status::ok : status::invalid_option;
  }
  explicit lagged_change_stream(int period)
      : period_(period), ring_(std::make_unique<double[]>(static_cast<std::size_t>(period))) {}
  lagged_change_stream(const lagged_change_stream& other)
      : period_(other.period_),
        pos_(other.pos_),
        bars_(other.bars_),
        ring_(std::make_unique<double[]>(static_cast<std::size_t>(other.period_))) {
    for (int i = 0; i < period_; ++i) ring_[i] = other.ring_[i];
  }
  lagged_change_stream(lagged_change_stream&&) noexcept = default;

  int lookback() const noexcept { return period_; }

  void update(const bar& b, double* out) noexcept {
    preview(b, out);
    ring_[pos_] = b.close;
    if (++pos_ == period_) pos_ = 0;
    ++bars_;
  }

  void preview(const bar& b, double* out) const noexcept {
    *out = bars_ >= period_ ? Change(b.close, ring_[pos_]) : no_value;
  }

  void reset() noexcept { pos_ = 0, bars_ = 0; }

 private:
  int period_;
  int pos_ = 0;  // slot of the close `period` bars back once the ring is full
  std::int64_t bars_ = 0;
  std::unique_ptr<double[]> ring_;  // the last `period` closes
};

}  // namespace vyx::ta::detail
