// The host side of the VYX_IND_GO_* ids: the platform's indicator helpers over
// a Go trader's window (the newest 250 candles, say), computed once per
// symbol visit (indicator_cache::begin_symbol, when every trader evaluates
// one symbol) and served to every Go trader of the visit that asks for the
// same indicator, parameters and window.
//
// Why only within a visit: the platform seeds its EMA and RSI at the window's
// first candle, so a window that moved by one candle is a new computation;
// keeping results per symbol across ticks would only add memory traffic (a
// store of 500 symbols does not stay in cache). Within a visit the store does
// not change, so a request's window (its length and newest candle) names its
// values exactly, and they live in a small arena reused by the next visit,
// which stays in cache.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "vyx/abi.h"

namespace vyx::runtime {

class go_indicator_cache {
 public:
  // At most `max_values` doubles of results per visit; past it a request is
  // refused with VYX_ERR_CAPACITY and the SDK computes the values itself.
  explicit go_indicator_cache(std::size_t max_values = std::size_t{1} << 19);

  static bool serves(vyx_indicator_id id);

  // Forgets the last visit's values (their arrays are reused).
  void begin_visit();

  // Serves `r` (a full-size request with a Go id) over `view`, the visited
  // symbol's closed candles of r.timeframe. The outputs stay valid until the
  // next begin_visit().
  vyx_status serve(const vyx_candles& view, const vyx_indicator_request& r,
                   vyx_indicator_result* out);

  // Kernel runs so far: how tests see the sharing.
  std::uint64_t computations() const { return computations_; }

 private:
  struct request_shape;
  struct memo {
    vyx_indicator_id indicator;
    vyx_timeframe timeframe;
    std::uint32_t param_count, outputs;
    double params[VYX_INDICATOR_MAX_PARAMS];
    std::uint64_t window;
    std::int64_t last_open_time;
    const double* values;  // outputs x window
  };
  static bool same_request(const memo& m, const vyx_indicator_request& r);
  double* allocate(std::size_t n);  // zero-filled; null past max_values

  std::vector<memo> memos_;
  // Fixed blocks, so an array served earlier in the visit never moves.
  std::vector<std::unique_ptr<double[]>> blocks_;
  std::size_t block_ = 0, used_ = 0, visit_values_ = 0;
  std::size_t max_values_;
  std::uint64_t computations_ = 0;
};

}  // namespace vyx::runtime
