// The 24 h ticker from the candle store: closed candles of one timeframe over
// the trailing day, plus that timeframe's forming candle for the part since
// its last close.
#include "market/ticker_24h.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime {
namespace {
constexpr std::int64_t day_ms = 86'400'000;
constexpr std::int64_t hour_ms = 3'600'000;
}  // namespace

vyx_timeframe ticker_timeframe(const candle_store& store, vyx_timeframe finest) {
  // Coarser than 1h, a day would be only a few candles and the window's edge
  // off by hours; finer than the symbol's finest, the candles would not reach now.
  for (vyx_timeframe tf = finest; tf < VYX_TIMEFRAME_COUNT; ++tf) {
    if (!(store.timeframes() & (1u << tf))) continue;
    const std::int64_t ms = timeframe_ms(tf);
    if (ms > hour_ms) break;
    if (static_cast<std::int64_t>(store.capacity()) * ms >= day_ms) return tf;
  }
  return VYX_TIMEFRAME_COUNT;
}

namespace {

// The quote volume of the closed candles opening in [first_open, last_open]:
// from the previous tick's sum when the window only slid forward, else afresh.
double closed_quote_volume(const vyx_candles& v, vyx_timeframe tf, std::size_t first,
                           ticker_window& w) {
  const std::int64_t first_open = first < v.count ? v.open_time[first] : 0;
  const std::int64_t last_open = v.open_time[v.count - 1];
  const auto index_of = [&](std::int64_t open_time) {
    return static_cast<std::size_t>(
        std::lower_bound(v.open_time, v.open_time + v.count, open_time) - v.open_time);
  };
  const bool slid = w.valid && w.timeframe == tf && w.updates < ticker_window::resum_every &&
                    w.first_open >= v.open_time[0] && first_open >= w.first_open &&
                    last_open >= w.last_open && first < v.count;
  if (slid) {
    if (first_open != w.first_open || last_open != w.last_open) {
      double sum = w.closed_quote_volume;
      for (std::size_t i = index_of(w.first_open); i < first; ++i) sum -= v.quote_volume[i];
      for (std::size_t i = index_of(w.last_open + 1); i < v.count; ++i) sum += v.quote_volume[i];
      w.closed_quote_volume = sum;
      ++w.updates;
    }
  } else {
    double sum = 0;
    for (std::size_t i = first; i < v.count; ++i) sum += v.quote_volume[i];
    w = ticker_window{};
    w.timeframe = tf;
    w.closed_quote_volume = sum;
    w.valid = first < v.count;
  }
  w.first_open = first_open;
  w.last_open = last_open;
  return w.closed_quote_volume;
}

}  // namespace

vyx_ticker ticker_24h(const candle_store& store, std::size_t symbol_index, vyx_timeframe finest,
                      std::int64_t end_ms, double last_close, ticker_window& window) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  vyx_ticker t{sizeof(vyx_ticker), 0, last_close, nan, nan};
  const vyx_timeframe tf = ticker_timeframe(store, finest);
  if (tf == VYX_TIMEFRAME_COUNT) return t;
  const vyx_candles v = store.view(symbol_index, tf);
  if (v.count == 0) return t;
  // The candles must reach now: the newest closed one ends at end_ms, or the
  // forming one continues right after it.
  const std::int64_t closed_end = v.close_time[v.count - 1] + 1;
  const bool forming = v.has_forming != 0 && v.open_time[v.count] == closed_end;
  if (closed_end != end_ms && !forming) return t;
  // ... and back to the first candle opening at or after end - 24 h.
  const std::int64_t ms = timeframe_ms(tf);
  const std::int64_t start = end_ms - day_ms;
  const std::int64_t first_open = (start % ms == 0) ? start : (start / ms + 1) * ms;
  if (v.open_time[0] > first_open) return t;
  const std::size_t first =
      static_cast<std::size_t>(std::lower_bound(v.open_time, v.open_time + v.count, first_open) -
                               v.open_time);
  double quote_volume = first < v.count ? closed_quote_volume(v, tf, first, window) : 0;
  if (forming) quote_volume += v.quote_volume[v.count];
  const double open = first < v.count ? v.open[first] : (forming ? v.open[v.count] : nan);
  t.quote_volume = quote_volume;
  t.price_change_percent = open != 0 ? (last_close - open) / open * 100.0 : nan;
  return t;
}

}  // namespace vyx::runtime
