#include "live_store.hpp"

#include <algorithm>

namespace vyx::bench {

std::uint32_t capacity_for(const std::vector<runtime::trader_spec>& traders,
                           vyx_timeframe_mask timeframes, std::uint32_t minimum,
                           std::uint32_t* longest) {
  runtime::candle_store_layout layout;
  layout.symbols = {"PROBE"};
  layout.timeframes = timeframes;
  layout.capacity = 1;
  auto store = runtime::candle_store::create(layout);
  runtime::worker_pool_options o;
  o.min_workers = o.max_workers = 1;
  runtime::worker_pool pool(store, o);
  pool.load(traders);
  *longest = 0;
  for (const auto& s : pool.statuses()) *longest = std::max(*longest, s.history_bars);
  return std::max(minimum, *longest);
}

runtime::candle_store make_store(const dataset_stream& data, std::uint32_t capacity,
                                 std::size_t preload) {
  runtime::candle_store_layout layout;
  layout.symbols = data.names();
  layout.timeframes = data.timeframe_mask();
  layout.capacity = capacity;
  auto store = runtime::candle_store::create(layout);
  append_bars(store, data, 0, preload);
  return store;
}

void append_bar(runtime::candle_store& store, const dataset_stream& data,
                const std::vector<runtime::candle>& bar) {
  std::size_t i = 0;
  for (std::size_t s = 0; s < data.symbols(); ++s)
    for (std::size_t t = 0; t < data.timeframes(); ++t)
      store.append(s, data.timeframe(t), bar[i++]);
}

}  // namespace vyx::bench
