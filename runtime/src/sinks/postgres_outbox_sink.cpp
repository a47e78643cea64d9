// The Postgres outbox sink: render and outbox on the scheduler thread; the
// sink's shipper thread reads the outbox and hands batches to two
// connections, each with its own thread (shipping_lane).
#include "vyx/runtime/sinks/postgres_outbox_sink.hpp"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>
#include <tuple>
#include <utility>

#include "sinks/shipping_lane.hpp"
#include "sinks/signal_columns.hpp"
#include "vyx/runtime/database/uuid_text.hpp"

namespace vyx::runtime {
namespace {

// A batch travels by COPY into a temporary table, then one INSERT ... SELECT:
// the rows are split into columns on the client (sinks/signal_columns.hpp),
// so Postgres parses only indicator_data as jsonb (the earlier
// one-jsonb-parameter statement parsed the whole batch: about twice the
// server time, BENCHMARKS.md "Postgres"). The table is created once per
// server session and emptied at each commit: created and dropped per batch,
// its catalog rows and the invalidations they sent to every other backend
// made two shipping connections no faster than one. Plain statements and
// COPY only, nothing named: it works through PgBouncer's transaction mode
// (a server connection that has not got the table yet creates it; its name
// carries a version, so a table of an older shape is never reused). The
// numbers are numeric, as in signals: stored with every digit the row has,
// as the platform's JSON inserts were, not rounded to 15 by a cast from
// float8 (which also prints each value and parses it again).
// fly_app_id, when the row has none, is the user's app (user_fly_apps.user_id
// is unique). Rows of traders that are gone (deleted: their signals went with
// them) or not visible to this role, and non-uuid ids (sent as NULL: checked
// here, not by a regular expression per row in the statement, which was a
// fifth of its server time), are skipped.
constexpr const char* create_signal_batch = R"sql(
SET LOCAL client_min_messages = warning;
CREATE TEMP TABLE IF NOT EXISTS vyx_signal_batch_v3 (indicator_data jsonb, trader_id uuid,
  user_id uuid, symbol text, interval text, timestamp timestamptz, candle_time timestamptz,
  price_at_signal numeric, change_percent_at_signal numeric, volume_at_signal numeric,
  fly_app_id uuid) ON COMMIT DELETE ROWS
)sql";

// The rows go in by a plain INSERT, and by the same statement with ON
// CONFLICT DO NOTHING only while duplicates are expected: the conflict
// checks cost Postgres about a fifth of the insert (BENCHMARKS.md, "Plain
// inserts"). No conflict target: the only key a new row can hit is (trader,
// symbol, interval, candle_time) of migration 0001 (the id is random).
constexpr const char* insert_signal_batch = R"sql(
INSERT INTO public.signals (trader_id, user_id, symbol, interval, timestamp, candle_time,
  price_at_signal, change_percent_at_signal, volume_at_signal, count, source, fly_app_id,
  indicator_data)
SELECT t.id, r.user_id, r.symbol, r.interval, r.timestamp, r.candle_time, r.price_at_signal,
  r.change_percent_at_signal, r.volume_at_signal, 1, 'cloud', coalesce(r.fly_app_id, f.id),
  r.indicator_data
FROM vyx_signal_batch_v3 r
JOIN public.traders t ON t.id = r.trader_id
LEFT JOIN public.user_fly_apps f ON f.user_id = r.user_id
)sql";
const std::string insert_signal_batch_skipping_duplicates =
    std::string(insert_signal_batch) + "ON CONFLICT DO NOTHING\n";

// One row for pqxx::stream_to: a tuple of the columns, nullptr for NULL.
template <std::size_t... i>
auto signal_copy_tuple(const signal_columns& row, std::index_sequence<i...>) {
  return std::make_tuple((row.null[i] ? nullptr : row.values[i].c_str())...);
}

constexpr const char* upsert_statuses = R"sql(
INSERT INTO public.trader_runtime_status AS s (trader_id, user_id, fly_app_id, state,
  evaluations, signals, faults, quarantine_reason, last_error, last_run_at, updated_at)
SELECT t.id, r.user_id, coalesce(r.fly_app_id, f.id), r.state, r.evaluations, r.signals, r.faults,
  r.quarantine_reason, r.last_error, CASE WHEN r.evaluations > 0 THEN now() END, now()
FROM jsonb_to_recordset($1::jsonb) AS r(trader_id uuid, user_id uuid, fly_app_id uuid,
  state text, evaluations bigint, signals bigint, faults bigint, quarantine_reason text,
  last_error text)
JOIN public.traders t ON t.id = r.trader_id
LEFT JOIN public.user_fly_apps f ON f.user_id = r.user_id
ON CONFLICT (trader_id) DO UPDATE SET state = EXCLUDED.state,
  evaluations = EXCLUDED.evaluations, signals = EXCLUDED.signals, faults = EXCLUDED.faults,
  quarantine_reason = EXCLUDED.quarantine_reason,
  last_error = coalesce(EXCLUDED.last_error, s.last_error),
  last_run_at = CASE WHEN EXCLUDED.evaluations > s.evaluations THEN now() ELSE s.last_run_at END,
  updated_at = now()
)sql";

std::string quoted_or_null(const std::string& text) {
  return text.empty() ? "null" : "\"" + json_escape(text) + "\"";
}

}  // namespace

postgres_outbox_sink::postgres_outbox_sink(const candle_store& store,
                                           postgres_sink_options options)
    : options_(std::move(options)),
      renderer_(store, options_.rows),
      outbox_(options_.outbox_file),
      lanes_{std::make_unique<shipping_lane>(options_.database),
             std::make_unique<shipping_lane>(options_.database)} {
  batch_rows_ = std::max<std::size_t>(1, options_.batch_rows);
  stats_.backlog = outbox_.backlog();
  // Rows left by an earlier run may have been committed before it stopped.
  duplicates_expected_ = stats_.backlog > 0;
  if (stats_.backlog)
    spdlog::info("postgres sink: {} signals from an earlier run wait in {}", stats_.backlog,
                 options_.outbox_file.string());
  work_ = stats_.backlog > 0;
  shipper_ = std::thread([this] { ship_loop_(); });
}

postgres_outbox_sink::~postgres_outbox_sink() {
  {
    std::lock_guard lock(mutex_);
    flush_();
  }
  {
    std::lock_guard lock(ship_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  shipper_.join();
}

void postgres_outbox_sink::sink_it_(const trader_signal& signal) {
  pending_.push_back(renderer_.render(signal));
}

void postgres_outbox_sink::flush_() {
  if (pending_.empty()) return;
  std::string error;
  if (!outbox_.append(pending_, error)) {
    // Kept in memory and tried again on the next flush (e.g. a full disk).
    spdlog::error("postgres sink: outbox append failed, {} signals kept: {}", pending_.size(),
                  error);
    return;
  }
  const auto appended = pending_.size();
  pending_.clear();
  {
    std::lock_guard lock(ship_mutex_);
    stats_.outboxed += appended;
    stats_.backlog += appended;
    work_ = true;
  }
  wake_.notify_one();
}

void postgres_outbox_sink::statuses_it_(const std::vector<trader_status>& statuses) {
  {
    std::lock_guard lock(ship_mutex_);
    statuses_ = statuses;
    work_ = true;
  }
  wake_.notify_one();
}

postgres_sink_stats postgres_outbox_sink::stats() const {
  std::lock_guard lock(ship_mutex_);
  return stats_;
}

bool postgres_outbox_sink::wait_shipped(std::chrono::milliseconds timeout) {
  std::unique_lock lock(ship_mutex_);
  return shipped_.wait_for(lock, timeout, [&] { return stats_.backlog == 0; });
}

void postgres_outbox_sink::ship_loop_() {
  std::optional<std::chrono::steady_clock::time_point> drain_deadline;
  while (true) {
    {
      std::unique_lock lock(ship_mutex_);
      const auto now = std::chrono::steady_clock::now();
      if (stopping_ && !drain_deadline) drain_deadline = now + options_.drain_on_close;
      if (stopping_ && (stats_.backlog == 0 || now >= *drain_deadline)) break;
      // Backing off after a failure, new rows do not wake the shipper (they
      // wait on disk); only the stop does, to start the drain's clock.
      // The lanes are idle here; the first one's backoff paces the retries
      // (the second one only sits out batches while its own lasts).
      if (const auto retry = lanes_[0]->retry_in(); retry.count() > 0) {
        const auto limit = drain_deadline ? std::min<std::chrono::steady_clock::duration>(
                                                retry, *drain_deadline - now)
                                          : std::chrono::steady_clock::duration(retry);
        wake_.wait_for(lock, limit, [&] { return stopping_ && !drain_deadline; });
        continue;
      }
      if (!stopping_)
        wake_.wait_for(lock, options_.batch_delay, [&] { return work_ || stopping_; });
      work_ = false;
    }
    if (lanes_[0]->retry_in().count() > 0) continue;
    ship_statuses_();
    ship_outbox_(drain_deadline);
    {
      std::lock_guard lock(ship_mutex_);
      stats_.connected = lanes_[0]->connected();
    }
    shipped_.notify_all();
  }
  const auto left = outbox_.backlog();
  if (left) spdlog::warn("postgres sink: {} signals left in the outbox for the next start", left);
}

void postgres_outbox_sink::ship_outbox_(
    const std::optional<std::chrono::steady_clock::time_point>& drain_deadline) {
  // Per lane, two batches: the one in Postgres and the one just finished,
  // settled (its rows removed from the outbox) while the next one runs; and
  // the rows read for its next batch before it is free.
  struct batch {
    std::vector<outbox_row> rows;
    batch_result result;
  };
  std::array<std::array<batch, 2>, 2> batches;
  std::array<std::size_t, 2> running{};  // which of the lane's two batches it runs
  std::array<std::vector<outbox_row>, 2> next;
  std::array<bool, 2> busy{};
  std::int64_t read_up_to = 0;  // the last outbox id read for a lane
  bool stop = false;
  auto read_next = [&](std::size_t k) {
    // (A lane's backoff may be read only while it is idle.)
    if (stop || !next[k].empty() || (!busy[k] && lanes_[k]->retry_in().count() > 0)) return;
    const auto bytes = std::max<std::size_t>(
        1, options_.batch_bytes * batch_rows_ / std::max<std::size_t>(1, options_.batch_rows));
    next[k] = outbox_.peek(batch_rows_, bytes, read_up_to);
    if (!next[k].empty()) read_up_to = next[k].back().id;
  };
  auto start_next = [&](std::size_t k) {
    if (stop || busy[k] || next[k].empty()) return;
    running[k] ^= 1;
    batch& b = batches[k][running[k]];
    b.rows = std::move(next[k]);
    next[k].clear();
    busy[k] = true;
    lanes_[k]->start([this, k, &b](pg_session& session) {
      b.result = insert_batch_(session, b.rows);
      {
        std::lock_guard lock(lane_done_mutex_);
        lane_finished_[k] = true;
      }
      lane_done_.notify_one();
    });
  };
  for (std::size_t k : {0, 1}) {
    read_next(k);
    start_next(k);
  }
  while (busy[0] || busy[1]) {
    for (std::size_t k : {0, 1}) read_next(k);
    std::size_t k = 0;
    {
      std::unique_lock lock(lane_done_mutex_);
      lane_done_.wait(lock, [&] { return lane_finished_[0] || lane_finished_[1]; });
      k = lane_finished_[0] ? 0 : 1;
      lane_finished_[k] = false;
    }
    lanes_[k]->wait();
    busy[k] = false;
    batch& done = batches[k][running[k]];
    if (drain_deadline && std::chrono::steady_clock::now() >= *drain_deadline) stop = true;
    // After a success the lane goes on at once; after a failure it waits:
    // the retry one row at a time runs on it, or the run ends.
    if (done.result.failure == pg_failure::none) start_next(k);
    // A failed batch ends the run once the other lane's batch is settled
    // too; the rows left wait in the outbox for the next one.
    if (!settle_batch_(*lanes_[k], done.rows, done.result)) stop = true;
    start_next(k);
  }
}

postgres_outbox_sink::batch_result postgres_outbox_sink::insert_batch_(
    pg_session& session, const std::vector<outbox_row>& rows) {
  batch_result result;
  std::vector<std::string_view> texts;
  texts.reserve(rows.size());
  for (const auto& row : rows) {
    texts.push_back(row.row);
    result.payload_bytes += row.row.size();
  }
  std::vector<signal_columns> columns;
  if (!split_signal_rows(texts, columns, result.error)) {
    // Refused like data Postgres refuses: the rows are tried one by one and
    // the bad one goes to dead_letter.
    result.failure = pg_failure::data;
    return result;
  }
  constexpr std::size_t trader_column = 1;
  static_assert(std::string_view(signal_copy_columns[trader_column]) == "trader_id");
  for (auto& row : columns)
    if (!row.null[trader_column] && !is_uuid_text(row.values[trader_column]))
      row.null[trader_column] = true;  // not a platform trader: joins no row, skipped
  const auto begin = std::chrono::steady_clock::now();
  bool duplicate = false;
  auto send = [&](bool skip_duplicates) {
    return session.transact(
        [&](pqxx::transaction_base& t) {
          t.exec(create_signal_batch);
          // No column list: the table's columns are signal_copy_columns, in order.
          pqxx::stream_to copy(t, "vyx_signal_batch_v3");
          for (const auto& row : columns)
            copy << signal_copy_tuple(row, std::make_index_sequence<signal_copy_columns.size()>());
          copy.complete();
          try {
            result.inserted = t.exec(skip_duplicates ? insert_signal_batch_skipping_duplicates
                                                     : insert_signal_batch)
                                  .affected_rows();
          } catch (const pqxx::unique_violation&) {
            duplicate = !skip_duplicates;
            throw;
          }
        },
        result.error);
  };
  const bool skip_duplicates = duplicates_expected_.load();
  result.failure = send(skip_duplicates);
  if (duplicate) {
    // Rows already in Postgres (sent again after a commit in doubt, a crash,
    // or a replay): this batch and the next ones skip them.
    spdlog::debug("postgres sink: a batch holds signals already shipped, skipping duplicates");
    duplicates_expected_ = true;
    result.resent = true;
    result.error.clear();
    result.failure = send(true);
  } else if (skip_duplicates && result.failure == pg_failure::none &&
             result.inserted == rows.size()) {
    duplicates_expected_ = false;  // every row was new: back to plain inserts
  }
  result.took = std::chrono::steady_clock::now() - begin;
  return result;
}

bool postgres_outbox_sink::ship_batch_(shipping_lane& lane, std::vector<outbox_row>& rows) {
  batch_result result;
  lane.run([&](pg_session& session) { result = insert_batch_(session, rows); });
  return settle_batch_(lane, rows, result);
}

bool postgres_outbox_sink::settle_batch_(shipping_lane& lane, std::vector<outbox_row>& rows,
                                         const batch_result& result) {
  const pg_failure failure = result.failure;
  const std::string& error = result.error;
  if (failure == pg_failure::none) {
    if (failing_) spdlog::info("postgres sink: Postgres answers again, shipping the outbox");
    batch_rows_ = std::min(options_.batch_rows, batch_rows_ * 2);
    failing_ = false;
    std::string remove_error;
    // If this fails the rows are sent again later, and skipped as duplicates.
    const auto removing = std::chrono::steady_clock::now();
    if (!outbox_.remove_range(rows.front().id, rows.back().id, remove_error))
      spdlog::warn("postgres sink: shipped rows not removed from the outbox: {}", remove_error);
    // Where a batch's time goes (BENCHMARKS.md "Postgres"): the insert's
    // round trip and commit, then the outbox delete.
    spdlog::debug("postgres sink: batch of {} rows ({} KB) committed in {} ms, outbox delete {} ms",
                  rows.size(), result.payload_bytes / 1024,
                  std::chrono::duration_cast<std::chrono::milliseconds>(result.took).count(),
                  std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - removing)
                      .count());
    std::lock_guard lock(ship_mutex_);
    stats_.shipped += rows.size();
    stats_.inserted += result.inserted;
    ++stats_.batches;
    if (result.resent) ++stats_.duplicate_resends;
    stats_.backlog -= std::min<std::uint64_t>(stats_.backlog, rows.size());
    return true;
  }
  {
    std::lock_guard lock(ship_mutex_);
    ++stats_.failures;
    stats_.last_error = error;
    stats_.connected = lane.connected();
  }
  if (failure == pg_failure::transient) {
    // A batch too big to insert within the statement timeout: halve it (it
    // grows back with every success), so a slow server still takes rows.
    if (error.find("statement timeout") != std::string::npos)
      batch_rows_ = std::max<std::size_t>(1, std::min(batch_rows_, rows.size()) / 2);
    // Once per outage and kind of failure, not once per attempt.
    if (!failing_ || error.substr(0, 80) != last_logged_)
      spdlog::warn("postgres sink: {} signals wait in the outbox until Postgres answers: {}",
                   rows.size(), error);
    last_logged_ = error.substr(0, 80);
    failing_ = true;
    return false;
  }
  // The data was refused: find the rows Postgres will never take, one by one.
  if (rows.size() > 1) {
    for (auto& row : rows) {
      std::vector<outbox_row> single{row};
      if (!ship_batch_(lane, single)) return false;
    }
    return true;
  }
  spdlog::error("postgres sink: signal refused for good, kept in dead_letter: {}", error);
  std::string dead_error;
  if (!outbox_.dead_letter(rows[0], error, dead_error)) return false;
  std::lock_guard lock(ship_mutex_);
  ++stats_.dead_letters;
  stats_.backlog -= std::min<std::uint64_t>(stats_.backlog, 1);
  return true;
}

void postgres_outbox_sink::ship_statuses_() {
  std::optional<std::vector<trader_status>> statuses;
  {
    std::lock_guard lock(ship_mutex_);
    statuses.swap(statuses_);
  }
  if (!statuses || statuses->empty()) return;
  std::string payload = "[";
  for (const auto& s : *statuses) {
    // A trader that is not the platform's (a local file's id) has no row to
    // hold its status: left out here, as the batch insert leaves its signals.
    if (!is_uuid_text(s.id)) continue;
    // Disabled first: a trader disabled before it ever loaded is stopped, not failed.
    const char* state = !s.enabled      ? "stopped"
                        : s.quarantined ? "quarantined"
                        : !s.loaded     ? "error"
                                        : "running";
    if (payload.size() > 1) payload += ',';
    payload += "{\"trader_id\":\"" + json_escape(s.id) +
               "\",\"user_id\":" + quoted_or_null(options_.rows.user_id) +
               ",\"fly_app_id\":" + quoted_or_null(options_.rows.fly_app_id) + ",\"state\":\"" +
               state + "\",\"evaluations\":" + std::to_string(s.evaluations) +
               ",\"signals\":" + std::to_string(s.matches) +
               ",\"faults\":" + std::to_string(s.faults) + ",\"quarantine_reason\":" +
               quoted_or_null(s.quarantined ? s.reason : "") +
               ",\"last_error\":" + quoted_or_null(!s.loaded ? s.reason : "") + "}";
  }
  payload += ']';
  if (payload == "[]") return;
  std::string error;
  pg_failure failure = pg_failure::none;
  lanes_[0]->run([&](pg_session& session) {
    failure = session.transact(
        [&](pqxx::transaction_base& t) { t.exec_params(upsert_statuses, payload); }, error);
  });
  if (failure != pg_failure::none) {
    if (!failing_)
      spdlog::warn("postgres sink: trader statuses not written (next publish retries): {}", error);
    std::lock_guard lock(ship_mutex_);
    if (!statuses_) statuses_ = std::move(statuses);
  }
}

}  // namespace vyx::runtime
