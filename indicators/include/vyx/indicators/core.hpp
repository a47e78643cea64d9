// Conventions shared by every indicator: status codes, input columns, output
// alignment and the streaming-state contract. Read this before adding one.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace vyx::ta {

// Batch and streaming forms report bad options or input through a status,
// never by throwing or aborting.
enum class status : int {
  ok = 0,
  invalid_option = 1,   // period <= 0, multiplier out of range, ...
  input_too_short = 2,  // fewer bars than the indicator's lookback + 1
  invalid_input = 3,    // null column, mismatched sizes
};

const char* to_string(status s) noexcept;

inline constexpr double no_value = std::numeric_limits<double>::quiet_NaN();

// A read-only columnar view of candles. Columns an indicator does not read
// may be null. Every non-null column holds `size` values, oldest first.
struct columns {
  const double* open = nullptr;
  const double* high = nullptr;
  const double* low = nullptr;
  const double* close = nullptr;
  const double* volume = nullptr;
  std::size_t size = 0;
  // Bar open time, Unix ms UTC. Only session-anchored indicators (VWAP) read
  // it; null means "one session" (no day resets).
  const std::int64_t* open_time = nullptr;
  // Taker buy base volume (Binance kline field 9); read by the buy/sell
  // volume helpers only.
  const double* taker_buy_volume = nullptr;
};

// One new candle for a streaming state.
struct bar {
  double open = 0;
  double high = 0;
  double low = 0;
  double close = 0;
  double volume = 0;
  std::int64_t open_time = 0;  // Unix ms UTC; 0 for every bar = one session
  double taker_buy_volume = 0;
};

// Batch form (every indicator):
//   status NAME(const columns& in, <options...>, double* out_1, ..., double* out_k);
// Each output holds in.size values aligned to the input bars; bars before the
// indicator's lookback hold `no_value` (NaN), exactly where TA-Lib has no value.
// No allocation inside the bar loop; scratch, if any, is sized once up front.
//
// Streaming form (every indicator): a small class NAME_stream with
//   static status validate(<options...>);           // same rules as batch
//   explicit NAME_stream(<options...>);             // options already valid
//   int lookback() const;                           // leading no_value bars
//   void update(const bar& b, double* out);         // commit a closed bar, O(1)
//   void preview(const bar& b, double* out) const;  // value if b closed now; state unchanged
//   void reset();
// `out` points at output_count doubles (no_value during warm-up). Feeding bars
// 0..n-1 through update gives bit-for-bit the batch outputs.

}  // namespace vyx::ta
