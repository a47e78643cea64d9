// Forming candles of the coarser timeframes, merged one finest-timeframe
// close at a time (O(1) per close, whatever the store's capacity), and the
// 24 h ticker of every symbol that moved.
#include "vyx/runtime/market/forming_aggregator.hpp"

#include <algorithm>
#include <bit>

#include "market/ticker_24h.hpp"
#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime {

forming_aggregator::forming_aggregator(candle_store& store)
    : store_(store),
      seen_(store.symbol_count(), 0),
      partial_(store.symbol_count()),
      tickers_(store.symbol_count()) {}

forming_aggregator::~forming_aggregator() = default;

void forming_aggregator::closed(std::uint32_t symbol_index, vyx_timeframe timeframe,
                                const candle& bar) {
  if (symbol_index >= store_.symbol_count() || timeframe >= VYX_TIMEFRAME_COUNT) return;
  if (symbol_index >= seen_.size()) {  // a symbol added to the store at run time
    seen_.resize(store_.symbol_count(), 0);
    partial_.resize(store_.symbol_count());
    tickers_.resize(store_.symbol_count());
  }
  seen_[symbol_index] |= 1u << timeframe;
  tick_.push_back(fine_close{symbol_index, timeframe, bar});
}

void forming_aggregator::forget(std::uint32_t symbol_index) {
  if (symbol_index >= seen_.size()) return;
  seen_[symbol_index] = 0;
  partial_[symbol_index] = {};
  tickers_[symbol_index] = ticker_window{};
}

void forming_aggregator::end_tick() {
  // Every closed row of the tick is in the store by now, so a coarse candle
  // closing at this moment is already there (and its forming one cleared).
  for (const fine_close& c : tick_) {
    const auto finest = static_cast<vyx_timeframe>(std::countr_zero(seen_[c.symbol_index]));
    if (c.timeframe != finest) continue;
    update_forming_(c.symbol_index, c.timeframe, c.bar);
    update_ticker_(c.symbol_index, c.timeframe, c.bar);
  }
  tick_.clear();
}

void forming_aggregator::update_forming_(std::uint32_t symbol_index, vyx_timeframe fine,
                                         const candle& bar) {
  for (vyx_timeframe tf = fine + 1; tf < VYX_TIMEFRAME_COUNT; ++tf) {
    if (!(store_.timeframes() & (1u << tf))) continue;
    const std::int64_t ms = timeframe_ms(tf);
    // Coarse periods are aligned on the Unix epoch (UTC midnight for 1d, as Binance's).
    const std::int64_t open_time = bar.open_time - ((bar.open_time % ms) + ms) % ms;
    partial& p = partial_[symbol_index][tf];
    if (!p.active || p.bar.open_time != open_time) {
      p.bar = bar;
      p.bar.open_time = open_time;
      p.bar.close_time = open_time + ms - 1;
      p.active = true;
    } else if (bar.open_time > p.covered_until) {
      p.bar.high = std::max(p.bar.high, bar.high);
      p.bar.low = std::min(p.bar.low, bar.low);
      p.bar.close = bar.close;
      p.bar.volume += bar.volume;
      p.bar.quote_volume += bar.quote_volume;
      p.bar.taker_buy_base_volume += bar.taker_buy_base_volume;
      p.bar.trades += bar.trades;
    }
    p.covered_until = std::max(p.covered_until, bar.close_time);
    if (bar.close_time >= p.bar.close_time) {
      // The period is complete: its closed row (appended this tick) replaces
      // the forming candle; if the data lacks that row, there is none.
      p.active = false;
      if (auto f = store_.forming(symbol_index, tf); f && f->open_time <= open_time)
        store_.clear_forming(symbol_index, tf);
      continue;
    }
    const vyx_candles v = store_.view(symbol_index, tf);
    if (v.count > 0 && v.open_time[v.count - 1] >= open_time) continue;  // already closed
    store_.set_forming(symbol_index, tf, p.bar);
  }
}

void forming_aggregator::update_ticker_(std::uint32_t symbol_index, vyx_timeframe fine,
                                        const candle& bar) {
  store_.set_ticker(symbol_index,
                    ticker_24h(store_, symbol_index, fine, bar.close_time + 1, bar.close,
                               tickers_[symbol_index]));
}

}  // namespace vyx::runtime
