// Signals to the platform's Postgres (Supabase) through a durable local
// outbox: flush() commits the tick's signals to SQLite (fsync'd) and
// returns; a shipper thread sends the outbox in batches bounded in rows,
// bytes and time, skipping rows it already has, and removes rows
// only after Postgres acknowledged the commit. Postgres being slow or down
// never blocks screening: signals wait on disk and arrive once when it is back.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "vyx/runtime/market/candle_store.hpp"
#include "vyx/runtime/database/pg_session.hpp"
#include "vyx/runtime/sinks/signal_sink.hpp"
#include "vyx/runtime/sinks/outbox.hpp"
#include "vyx/runtime/sinks/signal_row.hpp"

namespace vyx::runtime {

class shipping_lane;

struct postgres_sink_options {
  pg_options database;
  std::filesystem::path outbox_file = "vyx-outbox.db";
  signal_row_context rows;
  std::size_t batch_rows = 2000;
  std::size_t batch_bytes = 8u << 20;
  // A committed signal is shipped within this long while Postgres answers.
  std::chrono::milliseconds batch_delay{200};
  // On destruction, how long to keep shipping what is left (the rest waits on disk).
  std::chrono::milliseconds drain_on_close{5000};
};

struct postgres_sink_stats {
  std::uint64_t outboxed = 0;    // rows committed to the outbox by this process
  std::uint64_t shipped = 0;     // rows acknowledged by Postgres (inserted or already there)
  std::uint64_t inserted = 0;    // of which new
  std::uint64_t batches = 0;     // committed batches
  std::uint64_t failures = 0;    // failed batch attempts
  // Batches sent a second time, skipping rows Postgres already had.
  std::uint64_t duplicate_resends = 0;
  std::uint64_t dead_letters = 0;
  std::uint64_t backlog = 0;     // rows waiting in the outbox
  bool connected = false;
  std::string last_error;
};

class postgres_outbox_sink final : public signal_sink {
 public:
  postgres_outbox_sink(const candle_store& store, postgres_sink_options options);
  ~postgres_outbox_sink() override;

  postgres_sink_stats stats() const;
  // Waits until the outbox is empty (true) or `timeout` passed (false).
  bool wait_shipped(std::chrono::milliseconds timeout);
  // signals.indicator_data carries them.
  bool wants_series() const override { return true; }

 protected:
  void sink_it_(const trader_signal& signal) override;
  void statuses_it_(const std::vector<trader_status>& statuses) override;
  void flush_() override;

 private:
  struct batch_result {
    pg_failure failure = pg_failure::none;
    std::string error;
    std::size_t inserted = 0, payload_bytes = 0;
    bool resent = false;  // sent again skipping duplicates
    std::chrono::steady_clock::duration took{};
  };
  void ship_loop_();
  // Ships the outbox until it is empty, a batch fails, or the drain's
  // deadline passed: each lane is handed the next rows as soon as its last
  // batch is settled (shipper thread).
  void ship_outbox_(const std::optional<std::chrono::steady_clock::time_point>& drain_deadline);
  // Sends one batch in one transaction on `session` (a lane's thread).
  batch_result insert_batch_(pg_session& session, const std::vector<outbox_row>& rows);
  // Shipper thread, `lane` idle: on success removes the rows from the
  // outbox; on a data error retries them one by one on `lane` and
  // dead-letters the refused ones. false when rows are left waiting
  // (Postgres unreachable or backing off).
  bool settle_batch_(shipping_lane& lane, std::vector<outbox_row>& rows,
                     const batch_result& result);
  bool ship_batch_(shipping_lane& lane, std::vector<outbox_row>& rows);
  void ship_statuses_();

  postgres_sink_options options_;
  signal_row_renderer renderer_;
  outbox outbox_;
  // The two Postgres connections; the shipper thread hands them their work.
  std::array<std::unique_ptr<shipping_lane>, 2> lanes_;
  std::mutex lane_done_mutex_;
  std::condition_variable lane_done_;
  std::array<bool, 2> lane_finished_{};  // a handed-out batch is over (lane_done_mutex_)
  std::vector<std::string> pending_;  // rendered, not yet in the outbox (scheduler thread)
  // Set when a batch met rows Postgres already has; cleared by a batch whose
  // every row was new. Both shipping threads read and set it.
  std::atomic<bool> duplicates_expected_ = false;
  bool failing_ = false;              // shipper thread only
  std::string last_logged_;           // shipper thread only
  std::size_t batch_rows_ = 0;        // shipper thread only: halved on a statement timeout

  mutable std::mutex ship_mutex_;  // guards what the shipper shares
  std::condition_variable wake_, shipped_;
  bool work_ = false, stopping_ = false;
  std::optional<std::vector<trader_status>> statuses_;
  postgres_sink_stats stats_;
  std::thread shipper_;
};

}  // namespace vyx::runtime
