// The analysis queue's SQLite tables: enqueue, due jobs, budget, results.
#include "vyx/runtime/analysis/analysis_store.hpp"

#include <sqlite3.h>

#include <chrono>
#include <stdexcept>

#include "sinks/sqlite_statement.hpp"

namespace vyx::runtime {
namespace {

constexpr const char* analysis_schema = R"sql(
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS analysis_queue (
  signal_key TEXT PRIMARY KEY,     -- trader|symbol|timeframe|close_time
  trader TEXT NOT NULL,
  symbol TEXT NOT NULL,
  timeframe TEXT NOT NULL,
  close_time INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  instructions TEXT NOT NULL,
  context TEXT NOT NULL,           -- JSON: the signal, its values, recent candles
  state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed', 'skipped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,  -- Unix ms
  last_error TEXT NOT NULL DEFAULT '',
  enqueued_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE INDEX IF NOT EXISTS analysis_queue_due ON analysis_queue (state, next_attempt_at);
CREATE TABLE IF NOT EXISTS signal_analyses (
  id INTEGER PRIMARY KEY,
  signal_key TEXT NOT NULL UNIQUE,
  signal_id INTEGER,               -- signals.id when the signals table is in this file
  trader TEXT NOT NULL,
  user_id TEXT NOT NULL,
  symbol TEXT NOT NULL,
  timeframe TEXT NOT NULL,
  close_time INTEGER NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('enter_trade', 'bad_setup', 'wait')),
  confidence INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 100),
  reasoning TEXT NOT NULL,
  model TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS analysis_usage (
  user_id TEXT NOT NULL,
  day TEXT NOT NULL,               -- YYYY-MM-DD, UTC
  requests INTEGER NOT NULL,
  PRIMARY KEY (user_id, day)
);
)sql";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void bind(sqlite3_stmt* st, int index, const std::string& text) {
  sqlite3_bind_text(st, index, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

std::string column_text(sqlite3_stmt* st, int col) {
  const unsigned char* t = sqlite3_column_text(st, col);
  return t ? std::string(reinterpret_cast<const char*>(t),
                         static_cast<std::size_t>(sqlite3_column_bytes(st, col)))
           : std::string();
}

bool has_signals_table(sqlite3* db) {
  sqlite_statement query(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'signals'");
  return query.ok() && sqlite3_step(query.get()) == SQLITE_ROW;
}

// `body` returns false (with `error`) to roll back.
template <class Body>
bool in_transaction(sqlite3* db, std::string& error, Body body) {
  if (!sqlite_exec(db, "BEGIN IMMEDIATE", error)) return false;
  if (body() && sqlite_exec(db, "COMMIT", error)) return true;
  std::string ignored;
  sqlite_exec(db, "ROLLBACK", ignored);
  return false;
}

}  // namespace

analysis_store::analysis_store(const std::filesystem::path& file) {
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  if (sqlite3_open(file.c_str(), &db_) != SQLITE_OK) {
    std::string error = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("cannot open " + file.string() + ": " + error);
  }
  sqlite3_busy_timeout(db_, 5000);  // the signals sink and the other side of the queue share the file
  std::string error;
  if (!sqlite_exec(db_, analysis_schema, error)) {
    sqlite3_close(db_);
    throw std::runtime_error("cannot create the analysis tables in " + file.string() + ": " + error);
  }
  signals_table_ = has_signals_table(db_);
}

analysis_store::~analysis_store() { sqlite3_close(db_); }

bool analysis_store::enqueue(const std::vector<analysis_job>& jobs, std::size_t max_pending,
                             enqueue_result& result, std::string& error) {
  enqueue_result counted;
  const bool ok = in_transaction(db_, error, [&] {
    std::uint64_t waiting = 0;
    {
      sqlite_statement count(db_, "SELECT COUNT(*) FROM analysis_queue WHERE state = 'pending'");
      if (!count.ok() || sqlite3_step(count.get()) != SQLITE_ROW) return error = "sqlite: cannot count the queue", false;
      waiting = static_cast<std::uint64_t>(sqlite3_column_int64(count.get(), 0));
    }
    sqlite_statement insert(db_,
        "INSERT OR IGNORE INTO analysis_queue (signal_key, trader, symbol, timeframe, close_time, "
        "user_id, instructions, context, state, next_attempt_at, enqueued_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending', ?9, ?9)");
    if (!insert.ok()) return error = insert.error(), false;
    const std::int64_t now = now_ms();
    for (const auto& job : jobs) {
      if (waiting >= max_pending) {
        ++counted.dropped;
        continue;
      }
      sqlite3_stmt* st = insert.get();
      bind(st, 1, job.signal_key);
      bind(st, 2, job.trader);
      bind(st, 3, job.symbol);
      bind(st, 4, job.timeframe);
      sqlite3_bind_int64(st, 5, job.close_time);
      bind(st, 6, job.user_id);
      bind(st, 7, job.instructions);
      bind(st, 8, job.context);
      sqlite3_bind_int64(st, 9, now);
      const int rc = sqlite3_step(st);
      sqlite3_reset(st);
      if (rc != SQLITE_DONE) return error = sqlite3_errmsg(db_), false;
      if (sqlite3_changes(db_) > 0) {
        ++counted.added;
        ++waiting;
      } else {
        ++counted.duplicates;
      }
    }
    return true;
  });
  if (ok) result = counted;
  return ok;
}

std::vector<queued_job> analysis_store::due(std::int64_t now, std::size_t limit) {
  std::vector<queued_job> out;
  sqlite_statement query(db_,
      "SELECT signal_key, trader, symbol, timeframe, close_time, user_id, instructions, context, "
      "attempts FROM analysis_queue WHERE state = 'pending' AND next_attempt_at <= ?1 "
      "ORDER BY next_attempt_at, enqueued_at LIMIT ?2");
  if (!query.ok()) return out;
  sqlite3_bind_int64(query.get(), 1, now);
  sqlite3_bind_int64(query.get(), 2, static_cast<std::int64_t>(limit));
  while (sqlite3_step(query.get()) == SQLITE_ROW) {
    sqlite3_stmt* st = query.get();
    queued_job q;
    q.job.signal_key = column_text(st, 0);
    q.job.trader = column_text(st, 1);
    q.job.symbol = column_text(st, 2);
    q.job.timeframe = column_text(st, 3);
    q.job.close_time = sqlite3_column_int64(st, 4);
    q.job.user_id = column_text(st, 5);
    q.job.instructions = column_text(st, 6);
    q.job.context = column_text(st, 7);
    q.attempts = static_cast<unsigned>(sqlite3_column_int(st, 8));
    out.push_back(std::move(q));
  }
  return out;
}

std::optional<std::int64_t> analysis_store::next_due() {
  sqlite_statement query(db_, "SELECT MIN(next_attempt_at) FROM analysis_queue WHERE state = 'pending'");
  if (!query.ok() || sqlite3_step(query.get()) != SQLITE_ROW ||
      sqlite3_column_type(query.get(), 0) == SQLITE_NULL)
    return std::nullopt;
  return sqlite3_column_int64(query.get(), 0);
}

bool analysis_store::charge(const std::string& user_id, const std::string& day, unsigned limit) {
  bool allowed = false;
  std::string error;
  in_transaction(db_, error, [&] {
    sqlite_statement read(db_, "SELECT requests FROM analysis_usage WHERE user_id = ?1 AND day = ?2");
    if (!read.ok()) return false;
    bind(read.get(), 1, user_id);
    bind(read.get(), 2, day);
    const std::int64_t used = sqlite3_step(read.get()) == SQLITE_ROW ? sqlite3_column_int64(read.get(), 0) : 0;
    if (used >= limit) return true;  // nothing to write; allowed stays false
    sqlite_statement bump(db_,
        "INSERT INTO analysis_usage (user_id, day, requests) VALUES (?1, ?2, 1) "
        "ON CONFLICT (user_id, day) DO UPDATE SET requests = requests + 1");
    if (!bump.ok()) return false;
    bind(bump.get(), 1, user_id);
    bind(bump.get(), 2, day);
    if (sqlite3_step(bump.get()) != SQLITE_DONE) return false;
    allowed = true;
    return true;
  });
  return allowed;
}

namespace {

// A verdict row; `sql` takes the columns in this order (?1 .. ?11).
constexpr const char* insert_without_signal =
    "INSERT OR IGNORE INTO signal_analyses (signal_key, signal_id, trader, user_id, symbol, "
    "timeframe, close_time, decision, confidence, reasoning, model, created_at) VALUES "
    "(?1, NULL, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

bool insert_verdict(sqlite3* db, const char* sql, const analysis_job& job,
                    const analysis_verdict& verdict, const std::string& model, std::string& error) {
  sqlite_statement insert(db, sql);
  if (!insert.ok()) return error = insert.error(), false;
  sqlite3_stmt* st = insert.get();
  bind(st, 1, job.signal_key);
  bind(st, 2, job.trader);
  bind(st, 3, job.user_id);
  bind(st, 4, job.symbol);
  bind(st, 5, job.timeframe);
  sqlite3_bind_int64(st, 6, job.close_time);
  sqlite3_bind_text(st, 7, decision_name(verdict.decision), -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 8, verdict.confidence);
  bind(st, 9, verdict.reasoning);
  bind(st, 10, model);
  sqlite3_bind_int64(st, 11, now_ms());
  if (sqlite3_step(st) != SQLITE_DONE) return error = sqlite3_errmsg(db), false;
  return true;
}

}  // namespace

bool analysis_store::store(const analysis_job& job, const analysis_verdict& verdict,
                           const std::string& model, std::string& error) {
  if (!signals_table_) signals_table_ = has_signals_table(db_);
  return in_transaction(db_, error, [&] {
    // OR IGNORE: a verdict stored already (by an earlier process) stays the only one.
    const char* sql = signals_table_
        ? "INSERT OR IGNORE INTO signal_analyses (signal_key, signal_id, trader, user_id, symbol, "
          "timeframe, close_time, decision, confidence, reasoning, model, created_at) VALUES "
          "(?1, (SELECT id FROM signals WHERE trader = ?2 AND symbol = ?4 AND timeframe = ?5 "
          "AND close_time = ?6), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
        : insert_without_signal;
    if (!insert_verdict(db_, sql, job, verdict, model, error)) return false;
    sqlite_statement done(db_,
        "UPDATE analysis_queue SET state = 'done', attempts = attempts + 1, last_error = '', "
        "finished_at = ?2 WHERE signal_key = ?1");
    if (!done.ok()) return error = done.error(), false;
    bind(done.get(), 1, job.signal_key);
    sqlite3_bind_int64(done.get(), 2, now_ms());
    if (sqlite3_step(done.get()) != SQLITE_DONE) return error = sqlite3_errmsg(db_), false;
    return true;
  });
}

bool analysis_store::keep_verdict(const analysis_job& job, const analysis_verdict& verdict,
                                  const std::string& model, std::string& error) {
  return insert_verdict(db_, insert_without_signal, job, verdict, model, error);
}

std::optional<analysis_verdict> analysis_store::kept_verdict(const std::string& signal_key) {
  sqlite_statement query(db_,
      "SELECT decision, confidence, reasoning FROM signal_analyses WHERE signal_key = ?1");
  if (!query.ok()) return std::nullopt;
  bind(query.get(), 1, signal_key);
  if (sqlite3_step(query.get()) != SQLITE_ROW) return std::nullopt;
  analysis_verdict verdict;
  const std::string decision = column_text(query.get(), 0);
  if (decision == "enter_trade")
    verdict.decision = analysis_decision::enter_trade;
  else if (decision == "bad_setup")
    verdict.decision = analysis_decision::bad_setup;
  else
    verdict.decision = analysis_decision::wait;  // the table's CHECK allows nothing else
  verdict.confidence = sqlite3_column_int(query.get(), 1);
  verdict.reasoning = column_text(query.get(), 2);
  return verdict;
}

void analysis_store::retry_later(const std::string& signal_key, unsigned attempts, std::int64_t at_ms,
                                 const std::string& reason) {
  sqlite_statement update(db_,
      "UPDATE analysis_queue SET attempts = ?2, next_attempt_at = ?3, last_error = ?4 "
      "WHERE signal_key = ?1 AND state = 'pending'");
  if (!update.ok()) return;
  bind(update.get(), 1, signal_key);
  sqlite3_bind_int(update.get(), 2, static_cast<int>(attempts));
  sqlite3_bind_int64(update.get(), 3, at_ms);
  bind(update.get(), 4, reason);
  sqlite3_step(update.get());
}

void analysis_store::finish(const std::string& signal_key, const char* state, unsigned attempts,
                            const std::string& reason) {
  sqlite_statement update(db_,
      "UPDATE analysis_queue SET state = ?2, attempts = ?3, last_error = ?4, finished_at = ?5 "
      "WHERE signal_key = ?1 AND state = 'pending'");
  if (!update.ok()) return;
  bind(update.get(), 1, signal_key);
  sqlite3_bind_text(update.get(), 2, state, -1, SQLITE_STATIC);
  sqlite3_bind_int(update.get(), 3, static_cast<int>(attempts));
  bind(update.get(), 4, reason);
  sqlite3_bind_int64(update.get(), 5, now_ms());
  sqlite3_step(update.get());
}

std::uint64_t analysis_store::pending() {
  sqlite_statement count(db_, "SELECT COUNT(*) FROM analysis_queue WHERE state = 'pending'");
  if (!count.ok() || sqlite3_step(count.get()) != SQLITE_ROW) return 0;
  return static_cast<std::uint64_t>(sqlite3_column_int64(count.get(), 0));
}

}  // namespace vyx::runtime
