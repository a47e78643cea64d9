// MOM: momentum, close - close[t - period], in price units. First value at
// bar `period`.
#pragma once

#include <cstdint>
#include <memory>

#include "vyx/indicators/core.hpp"

namespace vyx::ta {

int mom_lookback(int period) noexcept;

status mom(const columns& in, int period, double* out) noexcept;

class mom_stream {
 public:
  static constexpr int output_count = 1;
  static status validate(int period) noexcept;
  explicit mom_stream(int period);
  mom_stream(const mom_stream& other);
  mom_stream(mom_stream&&) noexcept = default;
  int lookback() const noexcept { return period_; }
  void update(const bar& b, double* out) noexcept;
  void preview(const bar& b, double* out) const noexcept;
  void reset() noexcept;

 private:
  int period_;
  int pos_ = 0;  // slot of the close `period` bars back once the ring is full
  std::int64_t bars_ = 0;
  std::unique_ptr<double[]> ring_;  // the last `period` closes
};

}  // namespace vyx::ta
