// One number read from a SQLite database that a running `vyx run` writes
// (read-only, waiting out its write locks): the analysis tests' counts.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <string>

namespace vyx::test {

// -1 when the database cannot be opened or the query gives no row.
inline std::int64_t sqlite_value(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(handle);
    return -1;
  }
  sqlite3_busy_timeout(handle, 2000);
  sqlite3_stmt* st = nullptr;
  std::int64_t value = -1;
  if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    value = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(handle);
  return value;
}

}  // namespace vyx::test
