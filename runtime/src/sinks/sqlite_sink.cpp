// SQLite sink and the status reader behind `vyx status`.
#include "vyx/runtime/sinks/sqlite_sink.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <chrono>
#include <stdexcept>

#include "vyx/runtime/market/timeframe.hpp"

#include "sinks/sqlite_statement.hpp"

namespace vyx::runtime {
namespace {

constexpr const char* signals_schema = R"sql(
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS signals (
  id INTEGER PRIMARY KEY,
  trader TEXT NOT NULL,
  symbol TEXT NOT NULL,
  timeframe TEXT NOT NULL,
  close_time INTEGER NOT NULL,   -- Unix ms of the candle's close
  price REAL NOT NULL,
  vals TEXT NOT NULL,            -- the plugin's emitted values, a JSON object
  created_at INTEGER NOT NULL,   -- Unix ms
  UNIQUE (trader, symbol, timeframe, close_time)
);
CREATE INDEX IF NOT EXISTS signals_by_time ON signals (close_time);
CREATE TABLE IF NOT EXISTS trader_status (
  trader TEXT PRIMARY KEY,
  loaded INTEGER NOT NULL,
  enabled INTEGER NOT NULL,
  quarantined INTEGER NOT NULL,
  reason TEXT NOT NULL,
  timeframes TEXT NOT NULL,
  history_bars INTEGER NOT NULL,
  evaluations INTEGER NOT NULL,
  matches INTEGER NOT NULL,
  faults INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}


std::string values_json(const trader_signal& s) {
  std::string out = "{";
  for (std::size_t i = 0; i < s.values.size(); ++i) {
    if (i) out += ',';
    out += '"' + json_escape(s.values[i].name) + "\":" + json_number(s.values[i].value);
  }
  return out + "}";
}


// Runs `body` (which returns false and sets `error` on failure) between
// `begin` and COMMIT; on any failure the transaction is rolled back.
template <class Body>
bool write_transaction(sqlite3* db, const char* begin, std::string& error, Body body) {
  if (!sqlite_exec(db, begin, error)) return false;
  if (body() && sqlite_exec(db, "COMMIT", error)) return true;
  std::string ignored;
  sqlite_exec(db, "ROLLBACK", ignored);
  return false;
}

// One row through a prepared statement: step, then reset for the next.
bool step_row(sqlite3* db, sqlite3_stmt* st, std::string& error) {
  const bool done = sqlite3_step(st) == SQLITE_DONE;
  if (!done) error = sqlite3_errmsg(db);
  sqlite3_reset(st);
  return done;
}

}  // namespace

sqlite_sink::sqlite_sink(const std::filesystem::path& database) {
  if (database.has_parent_path()) std::filesystem::create_directories(database.parent_path());
  if (sqlite3_open(database.c_str(), &db_) != SQLITE_OK) {
    std::string error = sqlite3_errmsg(db_);
    sqlite3_close(db_);
    throw std::runtime_error("cannot open " + database.string() + ": " + error);
  }
  sqlite3_busy_timeout(db_, 2000);  // `vyx status` may be reading at the same moment
  std::string error;
  if (!sqlite_exec(db_, signals_schema, error)) {
    sqlite3_close(db_);
    throw std::runtime_error("cannot create the schema in " + database.string() + ": " + error);
  }
}

sqlite_sink::~sqlite_sink() {
  flush_();
  sqlite3_close(db_);
}

void sqlite_sink::sink_it_(const trader_signal& signal) {
  pending_.push_back(signal);
  if (pending_.size() >= batch_size) flush_();
}

void sqlite_sink::flush_() {
  if (pending_.empty()) return;
  std::string error;
  const bool written = write_transaction(db_, "BEGIN IMMEDIATE", error, [&] {
    sqlite_statement insert(db_,
                     "INSERT OR IGNORE INTO signals (trader, symbol, timeframe, close_time, price, "
                     "vals, created_at) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!insert.ok()) {
      error = insert.error();
      return false;
    }
    const std::int64_t created = now_ms();
    for (const auto& s : pending_) {
      sqlite3_stmt* st = insert.get();
      std::string vals = values_json(s);
      sqlite3_bind_text(st, 1, s.trader.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 2, s.symbol.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 3, timeframe_name(s.timeframe), -1, SQLITE_STATIC);
      sqlite3_bind_int64(st, 4, s.close_time);
      sqlite3_bind_double(st, 5, s.price);
      sqlite3_bind_text(st, 6, vals.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(st, 7, created);
      if (!step_row(db_, st, error)) return false;
    }
    return true;
  });
  if (written) {
    pending_.clear();
    return;
  }
  // Keep the batch: it is written on the next flush once the database answers again.
  spdlog::warn("sqlite sink: {} signals kept for retry: {}", pending_.size(), error);
}

void sqlite_sink::statuses_it_(const std::vector<trader_status>& statuses) {
  std::string error;
  const bool written =
      write_transaction(db_, "BEGIN IMMEDIATE; DELETE FROM trader_status", error, [&] {
        sqlite_statement upsert(
            db_,
            "INSERT INTO trader_status (trader, loaded, enabled, quarantined, reason, timeframes, "
            "history_bars, evaluations, matches, faults, updated_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
        if (!upsert.ok()) {
          error = upsert.error();
          return false;
        }
        const std::int64_t updated = now_ms();
        for (const auto& s : statuses) {
          sqlite3_stmt* st = upsert.get();
          std::string tfs = timeframe_list(s.required_timeframes);
          sqlite3_bind_text(st, 1, s.id.c_str(), -1, SQLITE_TRANSIENT);
          sqlite3_bind_int(st, 2, s.loaded);
          sqlite3_bind_int(st, 3, s.enabled);
          sqlite3_bind_int(st, 4, s.quarantined);
          sqlite3_bind_text(st, 5, s.reason.c_str(), -1, SQLITE_TRANSIENT);
          sqlite3_bind_text(st, 6, tfs.c_str(), -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64(st, 7, s.history_bars);
          sqlite3_bind_int64(st, 8, static_cast<std::int64_t>(s.evaluations));
          sqlite3_bind_int64(st, 9, static_cast<std::int64_t>(s.matches));
          sqlite3_bind_int64(st, 10, static_cast<std::int64_t>(s.faults));
          sqlite3_bind_int64(st, 11, updated);
          if (!step_row(db_, st, error)) return false;
        }
        return true;
      });
  if (!written) spdlog::warn("sqlite sink: trader statuses not written: {}", error);
}

std::vector<stored_status> read_statuses(const std::filesystem::path& database) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string error = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + database.string() + ": " + error);
  }
  sqlite3_busy_timeout(db, 2000);
  std::vector<stored_status> out;
  std::string error;
  {
    sqlite_statement query(db,
                    "SELECT t.trader, t.loaded, t.enabled, t.quarantined, t.reason, t.timeframes, "
                    "t.history_bars, "
                    "t.evaluations, t.matches, t.faults, t.updated_at, "
                    "(SELECT COUNT(*) FROM signals s WHERE s.trader = t.trader) "
                    "FROM trader_status t ORDER BY t.trader");
    int rc = SQLITE_DONE;
    if (!query.ok()) error = query.error();
    while (query.ok() && (rc = sqlite3_step(query.get())) == SQLITE_ROW) {
      sqlite3_stmt* st = query.get();
      auto text = [&](int col) {
        const unsigned char* t = sqlite3_column_text(st, col);
        return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
      };
      stored_status row;
      row.status.id = text(0);
      row.status.loaded = sqlite3_column_int(st, 1) != 0;
      row.status.enabled = sqlite3_column_int(st, 2) != 0;
      row.status.quarantined = sqlite3_column_int(st, 3) != 0;
      row.status.reason = text(4);
      std::string tfs = text(5);
      for (std::size_t start = 0; start < tfs.size();) {
        std::size_t comma = tfs.find(',', start);
        if (comma == std::string::npos) comma = tfs.size();
        if (auto tf = parse_timeframe(std::string_view(tfs).substr(start, comma - start)))
          row.status.required_timeframes |= 1u << *tf;
        start = comma + 1;
      }
      row.status.history_bars = static_cast<std::uint32_t>(sqlite3_column_int64(st, 6));
      row.status.evaluations = static_cast<std::uint64_t>(sqlite3_column_int64(st, 7));
      row.status.matches = static_cast<std::uint64_t>(sqlite3_column_int64(st, 8));
      row.status.faults = static_cast<std::uint64_t>(sqlite3_column_int64(st, 9));
      row.updated_at = sqlite3_column_int64(st, 10);
      row.signals = static_cast<std::uint64_t>(sqlite3_column_int64(st, 11));
      out.push_back(std::move(row));
    }
    if (query.ok() && rc != SQLITE_DONE) error = sqlite3_errmsg(db);
  }
  sqlite3_close(db);
  if (!error.empty())
    throw std::runtime_error("cannot read trader statuses from " + database.string() + ": " +
                             error);
  return out;
}

}  // namespace vyx::runtime
