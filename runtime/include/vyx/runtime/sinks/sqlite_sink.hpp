// The default sink: an embedded SQLite database with a `signals` table
// (unique per trader, symbol, timeframe and candle) and a `trader_status`
// table. Signals are written in batches, in one transaction each.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "vyx/runtime/sinks/signal_sink.hpp"

struct sqlite3;

namespace vyx::runtime {

class sqlite_sink final : public signal_sink {
 public:
  static constexpr std::size_t batch_size = 512;

  explicit sqlite_sink(
      const std::filesystem::path& database);  // creates the schema; throws on failure
  ~sqlite_sink() override;
  std::uint64_t pending() const { return pending_.size(); }

 protected:
  void sink_it_(const trader_signal& signal) override;
  void statuses_it_(const std::vector<trader_status>& statuses) override;
  void flush_() override;

 private:
  sqlite3* db_ = nullptr;
  std::vector<trader_signal> pending_;  // kept until a commit succeeds
};

// What `vyx status` shows, read back from the database.
struct stored_status {
  trader_status status;
  std::int64_t updated_at = 0;  // Unix ms
  std::uint64_t signals = 0;    // rows in `signals` for this trader
};
// Throws std::runtime_error when the database cannot be read.
std::vector<stored_status> read_statuses(const std::filesystem::path& database);

}  // namespace vyx::runtime
