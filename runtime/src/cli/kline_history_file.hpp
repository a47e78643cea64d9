// One replay-layout CSV (DATA/<SYMBOL>/<tf>.csv) being filled from the
// exchange by `vyx data fetch`: where a rerun resumes, and rows appended so
// that an interrupted run leaves only whole rows behind.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "vyx/runtime/market/candle_store.hpp"

namespace vyx::cli {

class kline_history_file {
 public:
  // Opens `file` for appending, creating its folder. A torn last line (a
  // write cut short by a kill) is cut off first, so the file ends in a whole
  // row. Throws std::runtime_error when it cannot.
  explicit kline_history_file(const std::filesystem::path& file);
  ~kline_history_file();
  kline_history_file(const kline_history_file&) = delete;
  kline_history_file& operator=(const kline_history_file&) = delete;

  // Open time (Unix ms) of the last stored row; empty for a new or header-only file.
  std::optional<std::int64_t> last_open_time() const { return last_open_; }
  bool cut_torn_line() const { return cut_torn_line_; }

  // Appends whole lines (the recorder's exact format) and fsyncs: once this
  // returns, the rows survive a crash. Throws std::runtime_error on a failed write.
  void append(const std::vector<runtime::candle>& rows);

 private:
  std::filesystem::path file_;
  int fd_ = -1;
  std::optional<std::int64_t> last_open_;
  bool cut_torn_line_ = false;
};

}  // namespace vyx::cli
