// The durable local outbox in front of Postgres: a SQLite file (WAL,
// appends with synchronous=FULL, so a committed append survives a crash or
// power loss; removals unsynced, since a lost removal only resends rows)
// holding rendered signal rows until Postgres acknowledged them.
// One writer connection (appends) and one shipper connection (peek, remove),
// each used by one thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

struct sqlite3;

namespace vyx::runtime {

struct outbox_row {
  std::int64_t id = 0;
  std::string row;  // one JSON object, as sinks/signal_row.hpp renders it
};

class outbox {
 public:
  explicit outbox(const std::filesystem::path& file);  // creates the schema; throws on failure
  ~outbox();
  outbox(const outbox&) = delete;
  outbox& operator=(const outbox&) = delete;

  // Appends in one transaction, synced to disk before it returns. false (and
  // nothing appended) on failure, with `error` set.
  bool append(const std::vector<std::string>& rows, std::string& error);
  // The oldest rows with ids above `after_id` (a batch already in flight),
  // at most `max_rows` and about `max_bytes` (at least one).
  std::vector<outbox_row> peek(std::size_t max_rows, std::size_t max_bytes,
                               std::int64_t after_id = 0);
  // Removes the rows with ids first..last (after Postgres acknowledged their
  // commit) in one statement. peek() returns
  // the oldest rows in id order and ids only grow (AUTOINCREMENT), so the
  // range of a peeked run of rows holds exactly those rows.
  bool remove_range(std::int64_t first, std::int64_t last, std::string& error);
  // Moves one row that Postgres refuses for good aside, with the reason.
  bool dead_letter(const outbox_row& row, const std::string& reason, std::string& error);
  std::uint64_t backlog();

 private:
  sqlite3* writer_ = nullptr;
  sqlite3* shipper_ = nullptr;
};

}  // namespace vyx::runtime
