// Candles per symbol and timeframe in one shared-memory region: written by
// the runtime's main process, mapped read-only by the worker processes, so a
// plugin's vyx_candles view points straight into it (no copy per call).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vyx/abi.h"

namespace vyx::runtime {

struct candle {
  std::int64_t open_time = 0;   // Unix ms
  std::int64_t close_time = 0;  // Unix ms
  double open = 0, high = 0, low = 0, close = 0;
  double volume = 0, quote_volume = 0, taker_buy_base_volume = 0;
  std::int64_t trades = 0;
};

struct candle_store_layout {
  std::vector<std::string> symbols;
  vyx_timeframe_mask timeframes = 0;  // which timeframes get rings
  std::uint32_t capacity = 500;       // closed candles kept per (symbol, timeframe)
  // Symbol slots laid out in all (at least symbols.size()): the rest are
  // reserved for symbols added at run time (a live feed's universe newcomers).
  // A reserved slot's rings are memfd pages nobody touched: no resident memory.
  std::size_t symbol_capacity = 0;
};

// Invariant: each (symbol, timeframe) ring keeps its newest `count` closed
// candles contiguous in every column (capacity + 1/8 slack; the window moves
// back to the front when it reaches the end), so a view is a set of plain
// pointers. The forming candle, when there is one, sits right after them
// (index `count`), as vyx_candles::has_forming describes.
// Concurrency: one writer (the main process) appends only between ticks;
// workers read only during a tick. The tick message orders the two.
class candle_store {
 public:
  static candle_store create(const candle_store_layout& layout);  // throws on failure (startup)
  static candle_store attach_read_only(int fd);                   // in a worker, before lockdown
  candle_store(candle_store&&) noexcept;
  candle_store& operator=(candle_store&&) noexcept;
  ~candle_store();

  int fd() const;  // the memfd to pass to workers
  std::size_t symbol_count() const;     // symbols in use (indices 0 .. count-1)
  std::size_t symbol_capacity() const;  // slots laid out, used or reserved
  // Takes the next reserved slot for `name` and returns its index; between
  // ticks only (workers read the count during a tick). Throws
  // std::length_error when every slot is used, std::invalid_argument on a bad name.
  std::size_t add_symbol(std::string_view name);
  // Gives a slot in use to another symbol (a live universe's newcomer taking
  // the slot of a symbol that left): renamed, its rings emptied (no closed or
  // forming candle), its ticker NaN. Between ticks only, like add_symbol;
  // std::out_of_range for a slot not in use, std::invalid_argument on a bad name.
  void reuse_symbol(std::size_t index, std::string_view name);
  std::string_view symbol(std::size_t index) const;
  const char* symbol_c_str(std::size_t index) const;  // NUL-terminated, in shared memory
  // The index of a symbol in use, by a scan (for lookups that missed a
  // name -> index map built before a symbol was added at run time).
  std::optional<std::size_t> find_symbol(std::string_view name) const;
  std::uint32_t capacity() const;
  vyx_timeframe_mask timeframes() const;

  // Appends a closed candle; the oldest falls out when the ring is full. A
  // forming candle opening at or before c.open_time is cleared (its period
  // has closed); a later one stays, after the new closed candle.
  void append(std::size_t symbol_index, vyx_timeframe timeframe, const candle& c);
  // Sets or replaces the forming candle; it must open after the newest closed
  // one (std::invalid_argument otherwise). Between ticks only, like append.
  void set_forming(std::size_t symbol_index, vyx_timeframe timeframe, const candle& c);
  void clear_forming(std::size_t symbol_index, vyx_timeframe timeframe);
  std::optional<candle> forming(std::size_t symbol_index, vyx_timeframe timeframe) const;
  void set_ticker(std::size_t symbol_index, const vyx_ticker& ticker);

  // Zero-copy view: `count` closed candles, then the forming one at index
  // `count` when has_forming = 1. count = 0 and null pointers if the ring is
  // empty and has no forming candle, or the timeframe has no ring.
  vyx_candles view(std::size_t symbol_index, vyx_timeframe timeframe) const;
  const vyx_ticker* ticker(std::size_t symbol_index) const;
  // A number that changes whenever the closed candles of (symbol, timeframe)
  // change (an append, the slot's reuse) and never comes back: equal numbers
  // mean equal candles, without comparing them. 0 for a ring never written.
  std::uint64_t closed_version(std::size_t symbol_index, vyx_timeframe timeframe) const;

 private:
  candle_store() = default;
  struct mapping;
  mapping* mapping_ = nullptr;
};

}  // namespace vyx::runtime
