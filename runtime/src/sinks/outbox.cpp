// SQLite outbox: append (fsync'd), peek the oldest, remove what was shipped.
#include "vyx/runtime/sinks/outbox.hpp"

#include <sqlite3.h>

#include <stdexcept>

#include "sinks/sqlite_statement.hpp"

namespace vyx::runtime {
namespace {

constexpr const char* outbox_schema = R"sql(
PRAGMA journal_mode = WAL;
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  row TEXT NOT NULL,
  created_at INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
);
CREATE TABLE IF NOT EXISTS dead_letter (
  id INTEGER PRIMARY KEY,
  row TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_at INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
);
)sql";

// `durable`: FULL for the appends (in WAL mode a commit is synced before it
// returns, so an appended signal is on disk before the tick that produced it
// is over). The shipper's removals use NORMAL (WAL still keeps the file
// consistent, no fsync per commit): a removal lost to a power cut only sends
// rows again, which the insert's ON CONFLICT makes a no-op, and the fsync was
// 6-46 ms of every batch (BENCHMARKS.md, "Postgres").
sqlite3* open_connection(const std::filesystem::path& file, bool durable) {
  sqlite3* db = nullptr;
  if (sqlite3_open(file.c_str(), &db) != SQLITE_OK) {
    std::string error = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw std::runtime_error("cannot open outbox " + file.string() + ": " + error);
  }
  sqlite3_busy_timeout(db, 5000);  // the writer and the shipper take turns
  sqlite3_exec(db, durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
               nullptr, nullptr, nullptr);
  // Debian's SQLite zeroes deleted content by default (SECURE_DELETE): every
  // shipped 14 KB row was written again as zeros, 100-170 ms of the shipper's
  // time per 8 MiB batch (BENCHMARKS.md, "Postgres"). The rows are this
  // machine's own signals, already in Postgres; the pages are reused.
  if (!durable) sqlite3_exec(db, "PRAGMA secure_delete = OFF", nullptr, nullptr, nullptr);
  return db;
}

}  // namespace

outbox::outbox(const std::filesystem::path& file) {
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  writer_ = open_connection(file, true);
  std::string error;
  if (!sqlite_exec(writer_, outbox_schema, error)) {
    sqlite3_close(writer_);
    throw std::runtime_error("cannot create the outbox schema in " + file.string() + ": " + error);
  }
  try {
    shipper_ = open_connection(file, false);
  } catch (...) {
    sqlite3_close(writer_);
    throw;
  }
}

outbox::~outbox() {
  sqlite3_close(shipper_);
  sqlite3_close(writer_);
}

bool outbox::append(const std::vector<std::string>& rows, std::string& error) {
  if (rows.empty()) return true;
  if (!sqlite_exec(writer_, "BEGIN IMMEDIATE", error)) return false;
  sqlite_statement insert(writer_, "INSERT INTO outbox (row) VALUES (?1)");
  bool ok = static_cast<bool>(insert);
  for (std::size_t i = 0; ok && i < rows.size(); ++i) {
    sqlite3_bind_text(insert.get(), 1, rows[i].data(), static_cast<int>(rows[i].size()),
                      SQLITE_STATIC);
    ok = sqlite3_step(insert.get()) == SQLITE_DONE;
    sqlite3_reset(insert.get());
  }
  if (ok && sqlite_exec(writer_, "COMMIT", error)) return true;
  if (error.empty()) error = sqlite3_errmsg(writer_);
  std::string ignored;
  sqlite_exec(writer_, "ROLLBACK", ignored);
  return false;
}

std::vector<outbox_row> outbox::peek(std::size_t max_rows, std::size_t max_bytes,
                                     std::int64_t after_id) {
  std::vector<outbox_row> rows;
  sqlite_statement select(shipper_,
                          "SELECT id, row FROM outbox WHERE id > ?2 ORDER BY id LIMIT ?1");
  if (!select) return rows;
  sqlite3_bind_int64(select.get(), 1, static_cast<sqlite3_int64>(max_rows));
  sqlite3_bind_int64(select.get(), 2, after_id);
  std::size_t bytes = 0;
  while (sqlite3_step(select.get()) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(select.get(), 1));
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(select.get(), 1));
    if (!rows.empty() && bytes + size > max_bytes) break;
    rows.push_back({sqlite3_column_int64(select.get(), 0), std::string(text ? text : "", size)});
    bytes += size;
  }
  return rows;
}

bool outbox::remove_range(std::int64_t first, std::int64_t last, std::string& error) {
  sqlite_statement erase(shipper_, "DELETE FROM outbox WHERE id BETWEEN ?1 AND ?2");
  if (!erase) {
    error = sqlite3_errmsg(shipper_);
    return false;
  }
  sqlite3_bind_int64(erase.get(), 1, first);
  sqlite3_bind_int64(erase.get(), 2, last);
  if (sqlite3_step(erase.get()) == SQLITE_DONE) return true;
  error = sqlite3_errmsg(shipper_);
  return false;
}

bool outbox::dead_letter(const outbox_row& row, const std::string& reason, std::string& error) {
  if (!sqlite_exec(shipper_, "BEGIN IMMEDIATE", error)) return false;
  sqlite_statement move(shipper_, "INSERT INTO dead_letter (id, row, reason) VALUES (?1, ?2, ?3)");
  sqlite_statement erase(shipper_, "DELETE FROM outbox WHERE id = ?1");
  bool ok = move && erase;
  if (ok) {
    sqlite3_bind_int64(move.get(), 1, row.id);
    sqlite3_bind_text(move.get(), 2, row.row.data(), static_cast<int>(row.row.size()),
                      SQLITE_STATIC);
    sqlite3_bind_text(move.get(), 3, reason.data(), static_cast<int>(reason.size()),
                      SQLITE_STATIC);
    sqlite3_bind_int64(erase.get(), 1, row.id);
    ok = sqlite3_step(move.get()) == SQLITE_DONE && sqlite3_step(erase.get()) == SQLITE_DONE;
  }
  if (ok && sqlite_exec(shipper_, "COMMIT", error)) return true;
  if (error.empty()) error = sqlite3_errmsg(shipper_);
  std::string ignored;
  sqlite_exec(shipper_, "ROLLBACK", ignored);
  return false;
}

std::uint64_t outbox::backlog() {
  sqlite_statement count(shipper_, "SELECT count(*) FROM outbox");
  if (!count || sqlite3_step(count.get()) != SQLITE_ROW) return 0;
  return static_cast<std::uint64_t>(sqlite3_column_int64(count.get(), 0));
}

}  // namespace vyx::runtime
