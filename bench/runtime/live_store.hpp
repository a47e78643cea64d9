// The live-style store the screening benchmarks tick: the dataset's first
// bars preloaded, then one bar of every (symbol, timeframe) per tick.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "dataset_stream.hpp"
#include "vyx/runtime/market/candle_store.hpp"
#include "vyx/runtime/pool/worker_pool.hpp"

namespace vyx::bench {

// The store's default capacity as issue 4 states it: enough for the longest
// lookback of the loaded traders, at least `minimum`; the longest into
// *longest. Their history_bars come from their descriptors, read by a
// throw-away pool over a one-symbol store (plugin code runs only inside the
// sandbox, never in this process).
std::uint32_t capacity_for(const std::vector<runtime::trader_spec>& traders,
                           vyx_timeframe_mask timeframes, std::uint32_t minimum,
                           std::uint32_t* longest);

// A store of every symbol and timeframe of `data`, bars [0, preload) in it.
runtime::candle_store make_store(const dataset_stream& data, std::uint32_t capacity,
                                 std::size_t preload);

// One bar of every (symbol, timeframe), as read_bar gives it, appended.
void append_bar(runtime::candle_store& store, const dataset_stream& data,
                const std::vector<runtime::candle>& bar);

}  // namespace vyx::bench
