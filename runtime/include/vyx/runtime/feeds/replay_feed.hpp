// Replays candles from files as if live. Layout of a data directory:
//   DATA/<SYMBOL>/<timeframe>.csv   Binance kline rows (12 columns, header optional)
//   DATA/<SYMBOL>/<timeframe>.json  an indicator fixture ("vyx.indicator-fixture.v1")
//   DATA/<SYMBOL>/ticker.csv        optional: the exchange's 24 h ticker per close
//                                   (close time, last price, change %, quote volume),
//                                   as a live recording writes it
// or PATH may be one fixture .json file (symbol and interval from its dataset).
// Timeframes: 1m 5m 15m 1h 4h 1d. Rows that are malformed, out of order or
// duplicated are counted and skipped with a warning naming file and line.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>

#include "vyx/runtime/feeds/feed.hpp"

namespace vyx::runtime {

struct replay_options {
  std::optional<std::int64_t> from_ms;  // keep candles opening at or after
  std::optional<std::int64_t> to_ms;    // keep candles closing at or before
  double speed = 0;  // 0 = as fast as possible; 60 = one minute of market time per second
};

class replay_feed final : public feed {
 public:
  // Throws std::runtime_error when PATH holds no usable file (startup error).
  explicit replay_feed(const std::filesystem::path& path, replay_options options = {});
  ~replay_feed() override;

 protected:
  bool next_it_(closed_candle& out) override;
  void stop_it_() override;

 private:
  struct source;
  void advance_(source& s);
  void load_tickers_(std::uint32_t symbol, const std::filesystem::path& file);
  bool pace_(std::int64_t close_time);

  replay_options options_;
  std::vector<std::unique_ptr<source>> sources_;
  std::vector<std::size_t> heap_;  // indexes into sources_, min-heap on the next candle
  std::vector<std::map<std::int64_t, vyx_ticker>> tickers_;  // by symbol: close time -> ticker
  std::optional<std::int64_t> first_close_;
  std::chrono::steady_clock::time_point started_;
  bool stopped_ = false;
  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
};

}  // namespace vyx::runtime
