// Reads the peers' benchmark dataset (../shared/bench/peers, "TRDPERF1",
// written by their gendata) into candle columns per symbol and timeframe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vyx::bench::peers {

// One (symbol, timeframe): every column holds the same number of candles,
// oldest first. The dataset has no taker-buy quote volume.
struct candle_columns {
  std::vector<std::int64_t> open_time;   // Unix ms
  std::vector<std::int64_t> close_time;  // Unix ms, open_time + length - 1
  std::vector<double> open, high, low, close;
  std::vector<double> volume;                 // base asset
  std::vector<double> quote_volume;           // quote asset
  std::vector<double> taker_buy_base_volume;  // base asset bought by takers
  std::vector<std::int64_t> trades;

  std::size_t size() const { return close.size(); }
};

struct peer_dataset {
  std::uint64_t seed = 0;
  std::size_t bars = 0;                              // per symbol and timeframe (the peers' B)
  std::vector<std::string> timeframes;               // file order, e.g. "1m", "5m", "1h"
  std::vector<std::string> symbols;                  // e.g. "SYM0000USDT"
  std::vector<std::vector<candle_columns>> candles;  // [symbol][timeframe]

  const candle_columns& at(std::size_t symbol, std::size_t timeframe) const {
    return candles.at(symbol).at(timeframe);
  }
  std::optional<std::size_t> timeframe_index(std::string_view name) const;
  std::optional<std::size_t> symbol_index(std::string_view name) const;
};

// The peers' -verify mode evaluates every (trader, symbol) with the last
// `offset` bars of every timeframe dropped. A live replay that appends bar
// `bar_index` of every timeframe and then evaluates sees offset bars - 1 - bar_index.
inline std::size_t offset_of_bar(const peer_dataset& data, std::size_t bar_index) {
  return data.bars - 1 - bar_index;
}

// Reads a whole dataset file. On failure returns nullopt and sets `error` to
// a message naming the file and what is wrong (never throws on bad input).
std::optional<peer_dataset> read_peer_dataset(const std::filesystem::path& path,
                                              std::string& error);

}  // namespace vyx::bench::peers
