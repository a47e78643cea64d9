// The scheduler: turns a feed's candles into ticks. On each close it appends
// the closed candles to the store, updates the coarser timeframes' forming
// candles and the tickers, applies a pending hot reload, runs the
// worker pool for the closed timeframes and turns matches into signals,
// deduplicated per (trader, symbol, timeframe, candle).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vyx/runtime/market/candle_store.hpp"
#include "vyx/runtime/feeds/feed.hpp"
#include "vyx/runtime/market/forming_aggregator.hpp"
#include "vyx/runtime/screening/trader_signal.hpp"
#include "vyx/runtime/pool/worker_pool.hpp"

namespace vyx::runtime {

struct tick_report {
  std::uint64_t tick = 0;       // 1-based tick number
  std::int64_t close_time = 0;  // Unix ms
  vyx_timeframe_mask closed = 0;
  std::vector<trader_signal> signals;  // in (trader, symbol) order
  std::vector<fault> faults;
  std::uint64_t evaluations = 0;
  std::chrono::nanoseconds elapsed{0};  // run_tick's wall time
  std::uint64_t generation = 0;         // reloads applied so far
  std::vector<std::string> traders;     // ids evaluated-eligible in this tick's generation
};

struct trader_totals {
  std::uint64_t signals = 0, evaluations = 0, faults = 0;
  std::chrono::nanoseconds time{0};  // its share of tick time, by evaluations
};

// A candle store laid out for everything the feed will deliver (with slots
// reserved for the symbols a live feed may add).
candle_store make_store_for(const feed& source, std::uint32_t capacity);

class scheduler {
 public:
  scheduler(feed& source, candle_store& store, worker_pool& pool);

  // Thread-safe: the set is loaded just before the next tick, so it takes
  // effect exactly at a tick boundary (no tick skipped or run twice).
  void request_reload(std::vector<trader_spec> traders);
  // Runs one tick; false when the feed has ended (or was stopped).
  bool step(tick_report& report);
  // Runs to the end of the feed, calling on_tick after every tick.
  void run(const std::function<void(const tick_report&)>& on_tick);

  std::map<std::string, trader_totals> totals() const;
  std::uint64_t ticks() const;
  std::optional<load_report> last_load() const;
  // The filter indicator ids of a trader of the set loaded last (none for
  // unknown traders and local files). For the scheduler's thread, between steps.
  const std::vector<std::string>& indicator_ids(const std::string& trader) const;

 private:
  void apply_reload_();
  void admit_symbols_();
  std::vector<trader_signal> signals_for_(tick_result& result, vyx_timeframe_mask closed,
                                          const std::vector<std::string>& ids);

  feed& source_;
  candle_store& store_;
  worker_pool& pool_;
  forming_aggregator forming_;
  std::optional<closed_candle> lookahead_;
  std::vector<vyx_timeframe_mask> delivered_;  // per symbol: timeframes this tick carries
  std::vector<std::pair<std::uint32_t, vyx_ticker>> exchange_tickers_;  // this tick's, from the feed
  struct symbol_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Every symbol name seen gets a key that outlives its slot: a symbol that
  // left and came back in another slot keeps its key, so it never signals a
  // candle twice. Looked up once per slot and tick, not once per match.
  std::unordered_map<std::string, std::uint32_t, symbol_hash, std::equal_to<>> symbol_keys_;
  std::vector<std::uint32_t> slot_keys_;  // this tick's: per store slot, its symbol's key
  // by symbol key -> per timeframe: the close time of the candle a trader last signalled
  using last_signal_by_symbol = std::vector<std::array<std::int64_t, VYX_TIMEFRAME_COUNT>>;
  std::map<std::string, last_signal_by_symbol, std::less<>> last_signal_;  // by trader id
  // This tick's newest candle per (timeframe, slot), for the timeframes signals go to.
  struct newest_candle {
    std::int64_t close_time = 0;
    double close = 0;
    bool present = false;
  };
  std::array<std::vector<newest_candle>, VYX_TIMEFRAME_COUNT> newest_;
  std::map<std::string, vyx_timeframe_mask> required_;
  std::map<std::string, std::vector<std::string>, std::less<>> indicator_ids_;
  std::map<std::string, trader_totals> totals_;
  std::uint64_t ticks_ = 0, generation_ = 0;
  std::uint64_t symbols_version_ = 0;  // the feed's symbols_version() last admitted
  bool store_full_reported_ = false;
  mutable std::mutex mutex_;  // guards the reload request and the totals
  std::optional<std::vector<trader_spec>> reload_;
  std::optional<load_report> last_load_;
};

}  // namespace vyx::runtime
