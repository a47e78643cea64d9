// What `vyx run` and `vyx backtest` both wire: a market source (a replay, or
// the live Binance feed; optionally recorded) → the candle store → the worker
// pool → the scheduler → the signal sinks, built from one options struct.
// It lives with the command, not in vyx::runtime, because it picks among the
// command's feeds and takes the command's live options.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "live_options.hpp"
#include "vyx/runtime/feeds/binance_feed.hpp"
#include "vyx/runtime/feeds/recording_feed.hpp"
#include "vyx/runtime/feeds/replay_feed.hpp"
#include "vyx/runtime/screening/scheduler.hpp"
#include "vyx/runtime/screening/signal_series.hpp"
#include "vyx/runtime/sinks/signal_sink.hpp"

namespace vyx::cli {

struct pipeline_options {
  // The market source: the live feed when `live` is set, else a replay of `replay_path`.
  std::filesystem::path replay_path;
  runtime::replay_options replay;
  std::optional<live_cli> live;
  std::filesystem::path record_dir;  // when set, also write the candles screened here (replayable)
  std::uint32_t capacity = 500;      // closed candles kept per symbol and timeframe
  unsigned max_workers = 0;          // 0 = the machine's CPUs
  std::chrono::milliseconds deadline{250};  // per evaluation
  std::uint32_t go_window_bars = 250;       // candles per timeframe a Go trader sees (--window)
};

class screening_pipeline {
 public:
  // Throws std::runtime_error on a startup error (no data, Binance unreachable, ...).
  explicit screening_pipeline(const pipeline_options& options);
  screening_pipeline(const screening_pipeline&) = delete;
  screening_pipeline& operator=(const screening_pipeline&) = delete;

  runtime::feed& feed() { return *feed_; }
  runtime::binance_feed* live_feed() const { return live_.get(); }
  runtime::candle_store& store() { return *store_; }
  runtime::worker_pool& pool() { return *pool_; }
  runtime::scheduler& scheduler() { return *scheduler_; }

  // Every sink gets every signal written, in the order the sinks were added.
  void add_sink(std::unique_ptr<runtime::signal_sink> sink);
  // The tick's signals, but for those of the live feed's backfilled history.
  // Right after step(), so that the series a sink wants are as of the
  // signal's candle (one series evaluation per signal written).
  void write_signals(const runtime::tick_report& tick);
  void write_statuses(const std::vector<runtime::trader_status>& statuses);
  void flush();

 private:
  void open_market_source_(const pipeline_options& options);

  // Declared in build order, so they are destroyed in reverse: the sinks
  // first, the feeds last.
  std::unique_ptr<runtime::replay_feed> replay_;
  std::unique_ptr<runtime::binance_feed> live_;
  std::unique_ptr<runtime::recording_feed> recorder_;
  runtime::feed* feed_ = nullptr;  // the recorder when there is one, else the source
  std::int64_t signals_from_ = 0;  // close time (Unix ms) of the first candle that may signal
  std::optional<runtime::candle_store> store_;
  std::optional<runtime::worker_pool> pool_;
  std::optional<runtime::scheduler> scheduler_;
  std::optional<runtime::signal_series_source> series_;
  std::vector<std::unique_ptr<runtime::signal_sink>> sinks_;
  // A tick's signals to write (kept for its capacity).
  std::vector<const runtime::trader_signal*> news_;
};

}  // namespace vyx::cli
