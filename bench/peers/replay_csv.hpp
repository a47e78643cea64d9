// Writes a peers dataset in the replay feed's layout (runtime/include/vyx/runtime/replay_feed.hpp):
// DIR/<SYMBOL>/<timeframe>.csv, one Binance kline row per candle.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "peer_dataset.hpp"

namespace vyx::bench::peers {

// The Binance kline columns, as the header line of every file.
inline constexpr const char* kline_csv_header =
    "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,"
    "taker_buy_quote_volume,ignore";

struct replay_csv_options {
  bool header = true;           // the replay feed reads files with or without it
  std::size_t max_symbols = 0;  // 0 = all; else the first N symbols
};

// One row, no newline. Numbers are written in their shortest round-trip form,
// so reading them back gives the same doubles. The dataset has no taker-buy
// quote volume: that column (and "ignore") is 0.
std::string kline_csv_row(const candle_columns& candles, std::size_t bar);

// Creates DIR (and a folder per symbol); returns false with `error` set on an I/O failure.
bool write_replay_csv(const peer_dataset& data, const std::filesystem::path& dir,
                      const replay_csv_options& options, std::string& error);

}  // namespace vyx::bench::peers
