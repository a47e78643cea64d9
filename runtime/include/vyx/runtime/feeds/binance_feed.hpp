// The live feed: Binance spot klines through combined WebSocket streams,
// REST backfill at start and after every (re)connect, continuity per
// (symbol, timeframe), one batch per close time (or a follow-up batch for
// candles that came late), forming candles to the store's forming slot.
// It is a `feed` like the replay: the scheduler, store, workers and sinks
// do not know the difference, and a recording of what it delivered replays
// to the same signals.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vyx/runtime/feeds/feed.hpp"

namespace vyx::runtime {

struct binance_feed_options {
  std::string api_url = "https://api.binance.com";
  std::string ws_url = "wss://stream.binance.com:9443";
  std::string ca_file;  // empty = the system CA store
  std::size_t symbol_count = 100;
  double min_volume = 100'000;
  std::vector<std::string> pinned_symbols;  // SYMBOLS=a,b
  vyx_timeframe_mask timeframes = 0;        // the traders' required timeframes
  std::uint32_t history = 500;              // closed candles backfilled at start per stream
  std::chrono::milliseconds grace{2'000};   // after a close's first candle, then REST for the rest
  // A close's candles carry the newest !miniTicker@arr entry of their symbol
  // when its event time is at most this far from the close (else: the ticker from candles).
  std::chrono::milliseconds ticker_max_lag{60'000};
  std::chrono::milliseconds universe_refresh{3'600'000};
  // Store slots for symbols entering the top symbol_count at a refresh
  // (none with a pinned list); a leaver keeps its slot for when it comes back.
  std::size_t reserved_symbols = 100;
  std::chrono::milliseconds startup_timeout{60'000};  // for exchangeInfo and tickers
  std::size_t streams_per_connection = 1'024;
  // A newcomer goes on a connection with room, else on a new one: at most
  // this many connections, and at most this many opened by the feed in any
  // 5 minutes (Binance: 300 connection attempts per 5 minutes per IP; the
  // rest is left for reconnects and roll-overs).
  std::size_t max_connections = 64;
  std::size_t new_connections_per_5_minutes = 100;
  std::chrono::milliseconds idle_timeout{50'000};     // no frame this long: reconnect
  std::chrono::milliseconds max_connection_age{23 * 3'600'000 + 50 * 60'000};
  double subscribe_messages_per_second = 2;
  unsigned rest_sessions = 4;
};

struct binance_connection_health {
  std::size_t id = 0;
  std::string state;  // connecting, subscribing, open, backoff, stopped
  std::size_t streams = 0;
  std::uint64_t messages = 0, reconnects = 0, rollovers = 0;
};

struct binance_health {
  std::string phase;  // starting, backfilling, live, failed, stopped
  std::string error;  // why it failed (e.g. HTTP 418)
  std::vector<binance_connection_health> connections;
  std::uint64_t messages = 0, reconnects = 0, backfilled = 0, missing = 0, late = 0,
                duplicates = 0, malformed = 0, rest_requests = 0, rest_throttled = 0,
                universe_dropped = 0, universe_newcomers = 0,
                universe_waiting = 0;  // newcomers with no slot or connection left: tried again at the next refresh
  double messages_per_second = 0;
  std::int64_t last_close_ms = 0;  // newest close time delivered
  std::int64_t lag_ms = 0;         // now - last close received
  std::size_t held = 0;            // candles waiting for their batch
};

// Where a close's latency goes (steady clock): when the first and the last
// closed candle of the batch were parsed and offered, and when next()
// released the batch to the scheduler (the gating: all in, or the grace).
struct binance_batch_timing {
  std::int64_t close_time = 0;
  std::size_t candles = 0;
  std::chrono::steady_clock::time_point first_frame{}, last_frame{}, released{};
};

class binance_feed final : public feed {
 public:
  // Resolves the symbol universe (throws std::runtime_error when Binance
  // cannot be reached or answers nonsense: a startup error), then connects
  // and backfills in the background; next() blocks until the first batch.
  explicit binance_feed(binance_feed_options options);
  ~binance_feed() override;

  // Forming candles (x=false) go to this store's forming slot between ticks.
  void attach_store(candle_store& store);
  binance_health health() const;
  // Waits until the start-up backfill is done and every stream connection is
  // open (subscribed), or `limit` passes; true when it is live.
  bool wait_live(std::chrono::milliseconds limit) const;
  std::string error() const;  // non-empty once the feed stopped for good (HTTP 418)
  void roll_over_connections();  // as at the 24 h limit, now (tests, operators)
  // When `symbol` last joined the universe at a refresh (market ms; 0 for the
  // universe at start): its backfilled history before that is not news.
  std::int64_t joined_at(std::string_view symbol) const;
  // The market time the feed believes it is (max of server time, event times).
  std::int64_t market_now() const;
  // The batch next() released last (for the consumer's thread, after a tick).
  binance_batch_timing last_batch_timing() const;

 protected:
  bool next_it_(closed_candle& out) override;
  void stop_it_() override;
  bool batch_complete_it_() const override;
  std::size_t symbol_capacity_it_() const override;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace vyx::runtime
