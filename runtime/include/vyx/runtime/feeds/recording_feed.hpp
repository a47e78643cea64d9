// A feed that passes another feed's candles through and writes each one to
// DIR/<SYMBOL>/<tf>.csv (the replay layout, Binance's 12 kline columns), and
// the exchange's 24 h ticker a close carried to DIR/<SYMBOL>/ticker.csv, so
// a live session can be replayed (`vyx backtest --data DIR`) to the same signals.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "vyx/runtime/feeds/passthrough_feed.hpp"

namespace vyx::runtime {

class recording_feed final : public passthrough_feed {
 public:
  // Throws std::runtime_error when DIR cannot be created (startup error).
  recording_feed(feed& source, const std::filesystem::path& dir);
  ~recording_feed() override;

  std::uint64_t recorded() const { return recorded_; }

 protected:
  bool next_it_(closed_candle& out) override;

 private:
  void write_ticker_(const closed_candle& c);
  void follow_symbols_();

  std::filesystem::path dir_;
  std::vector<std::unique_ptr<std::ofstream>> files_;  // by symbol * VYX_TIMEFRAME_COUNT + tf
  std::vector<std::unique_ptr<std::ofstream>> ticker_files_;  // by symbol
  std::vector<std::int64_t> ticker_written_;  // by symbol: the close time of its last ticker row
  std::vector<std::ofstream*> dirty_;  // written since the last batch ended
  std::uint64_t recorded_ = 0;
  std::uint64_t symbols_version_seen_ = 0;
};

// One CSV row of a candle, exact: every double in its shortest round-trip form.
std::string kline_csv_row(const candle& c);
// One ticker.csv row: close time, last price, price change percent, quote volume.
std::string ticker_csv_row(std::int64_t close_time, const vyx_ticker& t);

}  // namespace vyx::runtime
