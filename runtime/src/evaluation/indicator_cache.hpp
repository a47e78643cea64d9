// The host side of vyx_host_api.indicator: per (symbol, timeframe, indicator,
// params) one streaming state from the indicator library, created on first
// request and then advanced O(1) per new closed candle, shared by every
// trader evaluated in this process. The Go traders' window indicators
// (VYX_IND_GO_*) go to go_indicator_cache.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "evaluation/go_indicator_cache.hpp"
#include "vyx/abi.h"
#include "vyx/indicators/catalog.hpp"
#include "vyx/runtime/market/candle_store.hpp"

namespace vyx::runtime {

// The catalog entry serving a VYX_IND_* id, or null (-> VYX_ERR_UNSUPPORTED).
const ta::indicator_info* catalog_entry_for(vyx_indicator_id id);

// Which candle an indicator's streaming state starts from (its anchor).
//
// Values must not depend on when or in which worker the state was created, or
// results would change with respawns and worker counts. While a ring has not
// dropped a candle, the anchor is its first candle (values are exactly the
// batch form over the whole window). Once the ring is full, the anchor is the
// oldest candle in the window whose bar number (open_time / timeframe) is
// congruent to the symbol's salt modulo `stride` (a quarter of the capacity):
// a pure function of the window, so any worker finds the same one, and a state
// rebuilds only when its anchor falls out (every `stride` candles, staggered
// across symbols by the salt). Values are then exactly the batch form over
// the candles from the anchor on; NaN before it.
std::size_t indicator_anchor(const vyx_candles& view, std::uint32_t capacity,
                             std::uint64_t symbol_salt);
std::uint64_t indicator_salt(std::string_view symbol);  // FNV-1a of the name

class indicator_cache {
 public:
  explicit indicator_cache(const candle_store& store, std::size_t max_entries = 1 << 16);
  ~indicator_cache();
  indicator_cache(const indicator_cache&) = delete;
  indicator_cache& operator=(const indicator_cache&) = delete;

  // Serves one request for `symbol`. Output arrays live in this cache and stay
  // valid until the next request that rebuilds the same entry.
  vyx_status serve(std::size_t symbol, const vyx_indicator_request& request,
                   vyx_indicator_result* out);

  // Opens a run of requests for one symbol over an unchanging store (the
  // evaluator calls it per symbol and tick, appends happen between ticks):
  // until the next call, a request already served for that symbol is
  // answered from a small memo, without a hash lookup or an update check.
  // Without it (direct serve() calls) every request checks the store.
  void begin_symbol(std::size_t symbol);
  // The same, in a tick at `now_ms` whose next visits are the symbols
  // symbol + 1 .. visit_end - 1, in order: the Go traders' chained window
  // indicators are computed for a few of them at once.
  void begin_symbol(std::size_t symbol, std::int64_t now_ms, std::size_t visit_end);

  std::size_t entry_count() const { return entries_.size(); }
  std::uint64_t rebuilds() const { return rebuilds_; }
  const go_indicator_cache& go_indicators() const { return go_; }
  // Off: every VYX_IND_GO_* request is answered VYX_ERR_UNSUPPORTED, so each
  // Go trader computes its own (the comparison of trader_eval_bench).
  void share_go_indicators(bool on) { share_go_ = on; }

  // The ABI table whose host_context is an indicator_cache::context.
  static const vyx_host_api* host_api();
  struct context {
    indicator_cache* cache;
    std::size_t symbol;
  };

 private:
  struct key {
    std::uint32_t symbol, timeframe, indicator, param_count;
    double params[VYX_INDICATOR_MAX_PARAMS];
    bool operator==(const key& o) const;
  };
  struct key_hash {
    std::size_t operator()(const key& k) const;
  };
  struct entry;
  void rebuild(entry& e, const vyx_candles& view, std::size_t anchor);
  void push(entry& e, const vyx_candles& view, std::size_t index, bool before_anchor);
  static vyx_status answer(const entry& e, std::uint64_t length, vyx_indicator_result* out);

  // Requests served since begin_symbol(): traders of one symbol mostly ask
  // for the same few indicators (20 copies of a trader ask 20 times).
  struct memo_slot {
    key k;
    entry* e;
    std::uint64_t length;
  };
  static constexpr std::size_t memo_capacity = 16;
  memo_slot memo_[memo_capacity];
  std::size_t memo_size_ = 0;
  std::size_t memo_symbol_ = static_cast<std::size_t>(-1);  // none: the memo is off

  const candle_store& store_;
  vyx_timeframe_mask timeframes_;
  std::size_t max_entries_;
  std::vector<std::uint64_t> symbol_salt_;  // grows with the store (symbols added at run time)
  std::unordered_map<key, std::unique_ptr<entry>, key_hash> entries_;
  go_indicator_cache go_;
  bool share_go_ = true;
  std::uint64_t rebuilds_ = 0;
};

}  // namespace vyx::runtime
