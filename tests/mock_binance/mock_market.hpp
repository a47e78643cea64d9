// The market a mock Binance serves: per symbol, candles of each timeframe
// (from a replay-layout folder or generated), its status and 24 h volume.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "vyx/abi.h"
#include "vyx/runtime/market/candle_store.hpp"

namespace vyx::mock {

using runtime::candle;

struct mock_symbol {
  std::string name;  // e.g. BTCUSDT
  std::string base, quote;
  bool trading = true;
  std::int64_t delisted_at = 0;  // market ms after which nothing is published (0 = never)
  double quote_volume = 0;       // what /api/v3/ticker/24hr reports
  std::array<std::vector<candle>, VYX_TIMEFRAME_COUNT> bars;  // by open time
};

struct mock_market {
  std::vector<mock_symbol> symbols;
  std::int64_t first_open() const;  // earliest candle open (ms), 0 when empty
  std::int64_t last_close() const;  // latest candle close
  mock_symbol* find(const std::string& name);
};

// A seeded random walk of 1m candles per symbol with the coarser timeframes
// of `timeframes` aggregated from exactly those 1m candles.
mock_market generate_market(const std::vector<std::string>& symbols, vyx_timeframe_mask timeframes,
                            std::int64_t start_ms, std::size_t minutes, std::uint64_t seed = 42);
// DIR/<SYMBOL>/<tf>.csv as the replay feed reads it; throws on an unreadable folder.
mock_market load_market(const std::filesystem::path& dir);
// Writes the replay layout (what `vyx record` writes), e.g. to replay a mock's market.
void write_market(const mock_market& market, const std::filesystem::path& dir);

// "0.0163479": the shortest decimal that reads back as the same double.
std::string decimal(double value);

}  // namespace vyx::mock
