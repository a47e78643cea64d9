// The peers' benchmark dataset ("TRDPERF1", their gendata) read on demand with
// pread: the benchmark holds one bar's candles at a time, not the file, so the
// main process's memory is the runtime's, not the benchmark's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "vyx/abi.h"
#include "vyx/runtime/market/candle_store.hpp"

namespace vyx::bench {

class dataset_stream {
 public:
  explicit dataset_stream(const std::string& path);  // throws std::runtime_error on a bad file
  ~dataset_stream();
  dataset_stream(const dataset_stream&) = delete;
  dataset_stream& operator=(const dataset_stream&) = delete;

  std::size_t symbols() const { return names_.size(); }
  std::size_t bars() const { return bars_; }
  std::size_t timeframes() const { return timeframes_.size(); }
  vyx_timeframe timeframe(std::size_t t) const { return timeframes_[t]; }
  vyx_timeframe_mask timeframe_mask() const;
  const std::vector<std::string>& names() const { return names_; }

  // Candles [from, from + count) of one (symbol, timeframe).
  void read(std::size_t symbol, std::size_t t, std::size_t from, std::size_t count,
            std::vector<runtime::candle>& out) const;
  // Bar `b` of every (symbol, timeframe), ordered [symbol][timeframe].
  void read_bar(std::size_t b, std::vector<runtime::candle>& out) const;
  std::int64_t close_time(std::size_t b) const;  // of bar b of the first symbol's first timeframe

 private:
  int fd_ = -1;
  std::size_t bars_ = 0;
  std::uint64_t data_offset_ = 0;
  std::vector<vyx_timeframe> timeframes_;
  std::vector<std::string> names_;
};

// Appends bars [from, to) of every (symbol, timeframe) to the store.
void append_bars(runtime::candle_store& store, const dataset_stream& data, std::size_t from,
                 std::size_t to);

}  // namespace vyx::bench
