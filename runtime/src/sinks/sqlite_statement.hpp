// What the SQLite files of the sinks share: a prepared statement that
// finalizes itself, and one SQL script run with its error as a value.
#pragma once

#include <sqlite3.h>

#include <string>

namespace vyx::runtime {

// When preparing failed, ok() is false and error() says why.
class sqlite_statement {
 public:
  sqlite_statement(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
      error_ = std::string("sqlite: ") + sqlite3_errmsg(db);
  }
  ~sqlite_statement() { sqlite3_finalize(stmt_); }
  sqlite_statement(const sqlite_statement&) = delete;
  sqlite_statement& operator=(const sqlite_statement&) = delete;
  bool ok() const { return stmt_ != nullptr; }
  explicit operator bool() const { return ok(); }
  const std::string& error() const { return error_; }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  std::string error_;
};

// Runs `sql` (one or more statements); false with `error` set on failure.
inline bool sqlite_exec(sqlite3* db, const char* sql, std::string& error) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK) return true;
  error = message ? message : sqlite3_errmsg(db);
  sqlite3_free(message);
  return false;
}

}  // namespace vyx::runtime
