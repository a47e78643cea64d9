// Turns closed candles arriving in any order, twice, late or not at all into
// gap-free batches per close time: per (symbol, timeframe) the next expected
// open time (continuity), and per close time a batch released when every
// expected candle is in, or at its first arrival + grace with the missing
// ones reported as late (fetched by REST, released in a follow-up batch).
// Not thread-safe: the feed calls it under its lock.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <vector>

#include "vyx/runtime/feeds/feed.hpp"

namespace vyx::runtime::binance {

struct stream_key {
  std::uint32_t symbol = 0;
  vyx_timeframe timeframe = 0;
};

struct sequencer_batch {
  std::int64_t close_time = 0;
  std::vector<closed_candle> candles;  // (timeframe, symbol) order, all closing at close_time
  std::vector<stream_key> late;        // expected at close_time, missing at the grace
  // When the first and the last candle of this close time were offered
  // (the last one is where its close-to-signals latency starts).
  std::chrono::steady_clock::time_point first_arrival{}, last_arrival{};
};

struct gap_request {
  stream_key key;
  std::int64_t from_open = 0;  // the first missing open time
  std::int64_t to_open = 0;    // the open time of the candle after the gap
};

enum class offer_result { accepted, duplicate, too_old, not_started };

class candle_sequencer {
 public:
  using clock = std::chrono::steady_clock;

  candle_sequencer(std::size_t symbols, vyx_timeframe_mask timeframes,
                   std::chrono::milliseconds grace);

  // A closed candle from a stream or from REST.
  offer_result offer(stream_key key, const candle& bar, clock::time_point now);
  // Continuity starts here: the open time of the first candle to release
  // (the oldest backfilled one). Until every active key started, nothing is released.
  void start(stream_key key, std::int64_t first_open);
  bool started(stream_key key) const;
  bool all_started() const;
  // REST found nothing where a late candle should be (delisted, halted):
  // the key stops holding batches back until a candle for it arrives.
  void stall(stream_key key);
  // A key that left the universe: no longer expected.
  void deactivate(stream_key key);
  // A universe newcomer: one more symbol, its keys (every timeframe of the
  // mask) expected from their start() on; until then they hold nothing back
  // (the others keep ticking while its backfill runs). Returns its index.
  std::uint32_t add_symbol();
  // A symbol that left and came back: expected again, continuity resuming
  // where it stopped (the feed fetches what it missed meanwhile).
  void reactivate(stream_key key);
  // The slot went to another symbol: its keys start afresh, as add_symbol's.
  void reuse_symbol(std::uint32_t symbol);
  bool active(stream_key key) const;
  std::size_t symbols() const { return symbols_; }
  // Fills gaps it could not: continuity resumes at the next candle held.
  // Returns how many candles were skipped (missing for good).
  std::int64_t skip_gap(stream_key key);
  std::int64_t next_open(stream_key key) const;  // -1 before start
  // Where a catch-up fetch starts: after the newest candle held in a
  // contiguous run from next_open (what is held already need not come again).
  std::int64_t resume_open(stream_key key) const;

  // The next batch that is ready at `now`; false if none, with `wake` set to
  // when one may be (a grace expiring). Gaps found on the way are listed once.
  bool next_batch(clock::time_point now, sequencer_batch& out, clock::time_point& wake,
                  std::vector<gap_request>& gaps);

  // After an accepted offer(): whether the consumer should call next_batch
  // again. False while the close it last found incomplete still misses some
  // of its due candles, so a close's hundreds of frames wake it once (when
  // the last one arrives), not once each; the grace is its own wake-up.
  bool worth_a_look() const { return awaited_close_ < 0 || awaited_missing_ == 0; }

  std::uint64_t duplicates() const { return duplicates_; }
  std::size_t held() const;  // candles waiting

 private:
  struct state {
    bool active = false, started = false, stalled = false, late = false, gap_reported = false;
    bool joining = false;  // added at run time, not started yet: holds nothing back
    std::int64_t next_open = -1;
    std::map<std::int64_t, candle> pending;  // by open time
  };
  state& at_(stream_key k) { return keys_[k.symbol * VYX_TIMEFRAME_COUNT + k.timeframe]; }
  const state& at_(stream_key k) const { return keys_[k.symbol * VYX_TIMEFRAME_COUNT + k.timeframe]; }
  std::int64_t expected_close_(const state& s, vyx_timeframe tf) const;

  std::size_t symbols_;
  vyx_timeframe_mask timeframes_;
  std::chrono::milliseconds grace_;
  std::vector<state> keys_;
  struct arrivals {
    clock::time_point first, last;
  };
  std::map<std::int64_t, arrivals> seen_;  // close time -> its candles' first and last arrival
  std::uint64_t duplicates_ = 0;
  // What is due changed (or may have): the consumer's next next_batch looks again.
  void look_again_() { awaited_close_ = -1; }
  std::int64_t awaited_close_ = -1;  // the close next_batch last found incomplete (-1: none)
  std::size_t awaited_missing_ = 0;  // its due candles not offered yet
};

}  // namespace vyx::runtime::binance
