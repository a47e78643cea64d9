// Continuity and batching of closed candles per close time (see the header).
#include "candle_sequencer.hpp"

#include <algorithm>
#include <limits>

#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime::binance {

candle_sequencer::candle_sequencer(std::size_t symbols, vyx_timeframe_mask timeframes,
                                   std::chrono::milliseconds grace)
    : symbols_(symbols), timeframes_(timeframes), grace_(grace),
      keys_(symbols * VYX_TIMEFRAME_COUNT) {
  for (std::uint32_t s = 0; s < symbols; ++s)
    for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf)
      if (timeframes & (1u << tf)) at_({s, tf}).active = true;
}

std::int64_t candle_sequencer::expected_close_(const state& s, vyx_timeframe tf) const {
  return s.next_open + timeframe_ms(tf) - 1;
}

offer_result candle_sequencer::offer(stream_key key, const candle& bar, clock::time_point now) {
  if (key.symbol >= symbols_ || key.timeframe >= VYX_TIMEFRAME_COUNT) return offer_result::too_old;
  state& s = at_(key);
  if (!s.active) return offer_result::too_old;
  if (s.started && bar.open_time < s.next_open) {
    ++duplicates_;
    return offer_result::too_old;
  }
  auto [it, fresh] = s.pending.try_emplace(bar.open_time, bar);
  if (!fresh) {
    ++duplicates_;
    return offer_result::duplicate;
  }
  if (s.started && bar.close_time == awaited_close_ && bar.open_time == s.next_open) {
    if (awaited_missing_ > 0) --awaited_missing_;
  } else if (bar.close_time < awaited_close_ || s.stalled || s.late) {
    look_again_();  // an older close, or a key that was given up
  }
  s.stalled = false;
  if (bar.open_time == s.next_open) s.late = false;
  auto [seen, first] = seen_.try_emplace(bar.close_time, arrivals{now, now});
  if (!first) seen->second.last = now;
  return s.started ? offer_result::accepted : offer_result::not_started;
}

void candle_sequencer::start(stream_key key, std::int64_t first_open) {
  look_again_();
  state& s = at_(key);
  if (s.started) return;
  s.started = true;
  s.joining = false;
  s.next_open = first_open;
  s.pending.erase(s.pending.begin(), s.pending.lower_bound(first_open));
}

bool candle_sequencer::started(stream_key key) const { return at_(key).started; }

bool candle_sequencer::all_started() const {
  for (const auto& s : keys_)
    if (s.active && !s.started && !s.joining) return false;
  return true;
}

void candle_sequencer::stall(stream_key key) {
  look_again_();
  state& s = at_(key);
  if (s.pending.empty() || s.pending.begin()->first != s.next_open) s.stalled = true;
  s.late = false;
}

void candle_sequencer::deactivate(stream_key key) {
  look_again_();
  state& s = at_(key);
  s.active = false;
  s.pending.clear();
}

std::uint32_t candle_sequencer::add_symbol() {
  look_again_();
  const auto index = static_cast<std::uint32_t>(symbols_++);
  keys_.resize(symbols_ * VYX_TIMEFRAME_COUNT);
  for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf)
    if (timeframes_ & (1u << tf)) {
      state& s = at_({index, tf});
      s.active = true;
      s.joining = true;
    }
  return index;
}

void candle_sequencer::reactivate(stream_key key) {
  look_again_();
  state& s = at_(key);
  if (s.active) return;
  s.active = true;
  s.stalled = s.late = s.gap_reported = false;
  s.pending.clear();
}

void candle_sequencer::reuse_symbol(std::uint32_t symbol) {
  look_again_();
  if (symbol >= symbols_) return;
  for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf) {
    state& s = at_({symbol, tf});
    s = state{};
    if (timeframes_ & (1u << tf)) {
      s.active = true;
      s.joining = true;
    }
  }
}

bool candle_sequencer::active(stream_key key) const { return at_(key).active; }

std::int64_t candle_sequencer::skip_gap(stream_key key) {
  look_again_();
  state& s = at_(key);
  s.gap_reported = false;
  if (s.pending.empty() || s.pending.begin()->first <= s.next_open) return 0;
  const std::int64_t skipped =
      (s.pending.begin()->first - s.next_open) / timeframe_ms(key.timeframe);
  s.next_open = s.pending.begin()->first;
  s.late = false;
  return skipped;
}

std::int64_t candle_sequencer::next_open(stream_key key) const { return at_(key).next_open; }

std::int64_t candle_sequencer::resume_open(stream_key key) const {
  const state& s = at_(key);
  const std::int64_t ms = timeframe_ms(key.timeframe);
  std::int64_t open = s.next_open;
  for (auto it = s.pending.lower_bound(open); it != s.pending.end() && it->first == open; ++it) open += ms;
  return open;
}

std::size_t candle_sequencer::held() const {
  std::size_t n = 0;
  for (const auto& s : keys_) n += s.pending.size();
  return n;
}

bool candle_sequencer::next_batch(clock::time_point now, sequencer_batch& out,
                                  clock::time_point& wake, std::vector<gap_request>& gaps) {
  out = sequencer_batch{};
  wake = clock::time_point::max();
  look_again_();
  if (!all_started()) return false;
  // The earliest close time some key can release in order.
  std::int64_t close = std::numeric_limits<std::int64_t>::max();
  for (std::uint32_t sym = 0; sym < symbols_; ++sym)
    for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf) {
      state& s = at_({sym, tf});
      if (!s.active || !s.started || s.pending.empty()) continue;
      const std::int64_t head = s.pending.begin()->first;
      if (head == s.next_open) {
        close = std::min(close, expected_close_(s, tf));
      } else if (!s.gap_reported) {
        s.gap_reported = true;  // a hole before the head: the feed fetches it
        gaps.push_back({{sym, tf}, s.next_open, head});
      }
    }
  if (close == std::numeric_limits<std::int64_t>::max()) return false;
  // Every key due at this close time: those whose next candle closes now.
  std::size_t missing = 0;
  for (std::uint32_t sym = 0; sym < symbols_; ++sym)
    for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf) {
      const state& s = at_({sym, tf});
      if (!s.active || !s.started || s.stalled || s.late || expected_close_(s, tf) != close) continue;
      if (s.pending.empty() || s.pending.begin()->first != s.next_open) ++missing;
    }
  if (missing > 0) {
    auto seen = seen_.find(close);
    const auto deadline = (seen == seen_.end() ? now : seen->second.first) + grace_;
    if (now < deadline) {
      wake = deadline;
      awaited_close_ = close;
      awaited_missing_ = missing;
      return false;
    }
  }
  out.close_time = close;
  if (auto seen = seen_.find(close); seen != seen_.end()) {
    out.first_arrival = seen->second.first;
    out.last_arrival = seen->second.last;
  }
  for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf)
    for (std::uint32_t sym = 0; sym < symbols_; ++sym) {
      state& s = at_({sym, tf});
      if (!s.active || !s.started || expected_close_(s, tf) != close) continue;
      if (!s.pending.empty() && s.pending.begin()->first == s.next_open) {
        out.candles.push_back({sym, tf, s.pending.begin()->second});
        s.pending.erase(s.pending.begin());
        s.next_open += timeframe_ms(tf);
        s.late = false;
        s.gap_reported = false;
      } else if (!s.stalled && !s.late) {
        s.late = true;
        out.late.push_back({sym, tf});
      }
    }
  // Arrival times of closes already behind every key are no longer needed.
  while (!seen_.empty() && seen_.begin()->first <= close) seen_.erase(seen_.begin());
  return true;
}

}  // namespace vyx::runtime::binance
