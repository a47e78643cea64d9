// Calls plugins directly in the current process: builds each symbol's
// vyx_market from the candle store and serves indicators from this process's
// cache. Used inside vyx-worker, and by the pool itself when sandboxing is off
// (the in-process cost benchmark).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "evaluation/indicator_cache.hpp"
#include "vyx/abi.h"
#include "vyx/runtime/market/candle_store.hpp"
#include "vyx/runtime/evaluation/results.hpp"

namespace vyx::runtime {

// What one filter call produced.
struct evaluation {
  vyx_status status = VYX_OK;
  bool matched = false;
  std::uint32_t value_count = 0;  // values() holds them
};

// Status codes a plugin may return without it counting as a fault: the
// market simply lacks what the trader needs yet.
inline bool benign_status(vyx_status s) {
  return s == VYX_OK || s == VYX_ERR_NOT_ENOUGH_DATA || s == VYX_ERR_NO_TIMEFRAME;
}

class evaluator {
 public:
  // `window_bars` goes into every market as vyx_market.window_bars: the
  // candles per timeframe a Go (platform) trader sees, 0 = the platform's 250.
  evaluator(const candle_store& store, std::vector<const vyx_plugin*> plugins,
            std::uint32_t window_bars);

  // Sets up the views of one symbol; the following evaluate() calls use them.
  // `visit_end`: the symbols symbol + 1 .. visit_end - 1 are visited next in
  // this tick, in order (0: unknown), which lets the host compute shared
  // indicators for several at once.
  void begin_symbol(std::size_t symbol, std::int64_t now_ms, std::size_t visit_end = 0);
  evaluation evaluate(std::uint32_t trader);
  const vyx_signal_value* values() const { return values_.data(); }

  plot_result series(std::uint32_t trader, std::size_t symbol, std::int64_t now_ms);

  std::size_t plugin_count() const { return plugins_.size(); }
  const indicator_cache& cache() const { return cache_; }
  void share_go_indicators(bool on) { cache_.share_go_indicators(on); }

 private:
  void reset_market();

  const candle_store& store_;
  std::vector<const vyx_plugin*> plugins_;
  std::uint32_t window_bars_;
  indicator_cache cache_;
  indicator_cache::context context_{};
  std::size_t symbol_ = 0;
  std::int64_t now_ms_ = 0;
  // Pristine copies: a plugin gets fresh structs on every call, so one
  // trader scribbling on its market cannot change what the next one sees.
  vyx_candles views_[VYX_TIMEFRAME_COUNT]{};
  vyx_candles call_views_[VYX_TIMEFRAME_COUNT]{};
  vyx_ticker ticker_{};
  vyx_ticker call_ticker_{};
  vyx_market market_{};
  std::vector<vyx_signal_value> values_;
};

}  // namespace vyx::runtime
