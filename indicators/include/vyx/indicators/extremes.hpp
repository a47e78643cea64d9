// highest(period): the highest high of the last `period` bars; lowest(period):
// the lowest low. Streaming is O(1) amortised (extreme_window, window.hpp).
#pragma once

#include "vyx/indicators/core.hpp"
#include "vyx/indicators/window.hpp"

namespace vyx::ta {

int highest_lookback(int period) noexcept;
int lowest_lookback(int period) noexcept;

status highest(const columns& in, int period, double* out) noexcept;
status lowest(const columns& in, int period, double* out) noexcept;

// The max or min of one column over a window, with the column chosen at
// compile time.
template <bool Max>
class extreme_stream {
 public:
  static constexpr int output_count = 1;
  static status validate(int period) noexcept {
    return period >= 1 ? status::ok : status::invalid_option;
  }
  explicit extreme_stream(int period) : period_(period), window_(period) {}
  int lookback() const noexcept { return period_ - 1; }
  void update(const bar& b, double* out) noexcept {
    const double e = window_.push(Max ? b.high : b.low);
    *out = window_.pushed() < period_ ? no_value : e;
  }
  void preview(const bar& b, double* out) const noexcept {
    const double e = window_.peek(Max ? b.high : b.low);
    *out = window_.pushed() + 1 < period_ ? no_value : e;
  }
  void reset() noexcept { window_.reset(); }

 private:
  int period_;
  extreme_window<Max> window_;
};

using highest_stream = extreme_stream<true>;
using lowest_stream = extreme_stream<false>;

}  // namespace vyx::ta
