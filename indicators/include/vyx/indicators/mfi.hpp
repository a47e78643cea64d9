// MFI: money flow index, 100 * positive flow / (positive + negative flow)
// over the last `period` bars, flow = typical price * volume, signed by the
// change of the typical price. First value at bar `period`.
#pragma once

#include <cstdint>
#include <memory>

#include "vyx/indicators/core.hpp"

namespace vyx::ta {

int mfi_lookback(int period) noexcept;

status mfi(const columns& in, int period, double* out) noexcept;

class mfi_stream {
 public:
  static constexpr int output_count = 1;
  static status validate(int period) noexcept;
  explicit mfi_stream(int period);
  mfi_stream(const mfi_stream& other);
  mfi_stream(mfi_stream&&) noexcept = default;
  int lookback() const noexcept { return period_; }
  void update(const bar& b, double* out) noexcept;
  void preview(const bar& b, double* out) const noexcept;
  void reset() noexcept;

  struct flow {
    double positive;
    double negative;
  };

 private:
  int period_;
  int pos_ = 0;  // ring slot of the oldest flow once the ring is full
  std::int64_t bars_ = 0;
  double prev_tp_ = 0;
  double positive_ = 0, negative_ = 0;  // running sums over the ring
  std::unique_ptr<flow[]> ring_;        // the last `period` flows
};

}  // namespace vyx::ta
