// The market-data extension point (spdlog's sink shape): a feed yields closed
// candles in time order; the replay feed and, later, the Binance feed derive
// from it and implement only the protected hooks.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "vyx/abi.h"
#include "vyx/runtime/market/candle_store.hpp"

namespace vyx::runtime {

struct closed_candle {
  std::uint32_t symbol_index = 0;  // into feed::symbols()
  vyx_timeframe timeframe = 0;
  candle bar;
  // The exchange's 24 h ticker of the symbol as of this close (live: the
  // !miniTicker@arr stream; replay: the recording's ticker.csv). Without it
  // the scheduler derives the ticker from the candles.
  bool has_ticker = false;
  vyx_ticker ticker{};
};

// What a feed dropped, and where (the first few warnings are kept verbatim).
struct feed_stats {
  std::uint64_t candles = 0;  // delivered
  std::uint64_t malformed = 0;
  std::uint64_t out_of_order = 0;
  std::uint64_t duplicate = 0;
  std::vector<std::string> warnings;  // "file:line: reason", at most feed::kept_warnings
};

class feed {
 public:
  static constexpr std::size_t kept_warnings = 64;

  virtual ~feed() = default;

  // Known before the first candle, so the candle store can be laid out. A
  // live feed may change it during next(), on the consumer's thread, before
  // the first candle that names a new symbol: it appends universe newcomers,
  // and once its reserved slots are used it gives the index of a symbol that
  // left to a newcomer (symbols()[i] then names the newcomer; no candle of
  // the one before follows). Each change increases symbols_version(): read
  // symbols() again when it moved, and treat a renamed index as a new, empty symbol.
  const std::vector<std::string>& symbols() const { return symbols_; }
  std::uint64_t symbols_version() const { return symbols_version_it_(); }
  // How many symbols the feed may grow to: the store reserves that many slots.
  std::size_t symbol_capacity() const { return std::max(symbols_.size(), symbol_capacity_it_()); }
  vyx_timeframe_mask timeframes() const { return timeframes_; }

  // The next closed candle, in (close_time, timeframe, symbol) order; false
  // once the feed is exhausted or stopped. One consumer thread only; the
  // lock guards the statistics, not the (possibly paced, sleeping) read.
  bool next(closed_candle& out) {
    bool got = next_it_(out);
    if (got) {
      std::lock_guard lock(mutex_);
      ++stats_.candles;
    }
    return got;
  }
  // True when the candle next() returned last completes its close time's
  // batch, so the scheduler ticks without reading ahead: a live feed knows
  // this; a file feed does not (false), and the scheduler reads on.
  bool batch_complete() const { return batch_complete_it_(); }
  // Callable from any thread (e.g. a signal handler's thread): next() returns false soon.
  void stop() { stop_it_(); }
  feed_stats stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
  }
  // Work for the consumer's thread while a feed waits for the market (a live
  // feed between two closes): called from next(), at least every 200 ms while
  // it waits, never while a close's batch is being delivered. The screening
  // thread serves execute-immediate there instead of after the next close.
  // Set before the first next(); feeds that never wait ignore it.
  void set_idle(std::function<void()> idle) { idle_ = std::move(idle); }

 protected:
  virtual bool next_it_(closed_candle& out) = 0;
  virtual void stop_it_() = 0;
  virtual bool batch_complete_it_() const { return false; }
  virtual std::size_t symbol_capacity_it_() const { return 0; }  // 0: a fixed universe
  // Wrappers forward their source's.
  virtual std::uint64_t symbols_version_it_() const { return symbols_version_; }

  // For derived feeds: count a dropped row and log it once with its place.
  void warn_(std::uint64_t feed_stats::*counter, const std::string& where,
             const std::string& reason);

  std::function<void()> idle_;
  std::vector<std::string> symbols_;
  vyx_timeframe_mask timeframes_ = 0;
  std::uint64_t symbols_version_ = 0;  // increased with every change of symbols_
  feed_stats stats_;
  mutable std::mutex mutex_;
};

}  // namespace vyx::runtime
