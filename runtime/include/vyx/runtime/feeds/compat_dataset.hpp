// A dataset in the compat layout (data/<SYMBOL>/{1m,5m,15m,1h}.csv with the
// 12 Binance kline columns, ticker.csv with one row per cut-off k) and the
// vyx_market of one (symbol, cut-off): every timeframe loses its last k
// candles, then keeps its newest `window` (0 = all; window_bars tells a Go
// trader the same, so it does not cut again); Timestamp = the close time of the
// last remaining 1m candle. The definition is the Yaegi oracle's.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "vyx/abi.h"

namespace vyx::runtime {

struct compat_columns {
  std::vector<std::int64_t> open_time, close_time, trades;
  std::vector<double> open, high, low, close, volume, quote_volume, taker_buy;
};

struct compat_symbol {
  std::string name;
  compat_columns timeframes[4];  // 1m, 5m, 15m, 1h
  std::vector<vyx_ticker> tickers;  // index = cut-off k
};

// Every symbol directory, sorted by name; throws std::runtime_error with the
// file and line on malformed input.
std::vector<compat_symbol> load_compat_dataset(const std::filesystem::path& dir);

// The market of (symbol, k); its pointers refer into `symbol` and `storage`.
struct compat_market {
  vyx_candles candles[4]{};
  vyx_ticker ticker{};
  vyx_market market{};
};
void make_compat_market(const compat_symbol& symbol, std::size_t k, std::size_t window,
                        const vyx_host_api* host, compat_market& out);

}  // namespace vyx::runtime
