// The host side of the VYX_IND_GO_* ids: the platform's indicator helpers over
// a Go trader's window (the newest 250 candles, say), computed once per
// symbol visit (indicator_cache::begin_symbol, when every trader evaluates
// one symbol) and served to every Go trader of the visit that asks for the
// same indicator, parameters and window. The chained ones (EMA series, RSI, MACD)
// are computed for the next few symbols of the tick at the same time
// (the kernels' *_lanes forms), since their traders will ask for them too;
// and an EMA comes with the other EMA of the same window that the last group
// asked for (EMA(50) with EMA(200)), two chains in the time of one.
//
// Why the chained ones only within a visit: the platform seeds its EMA and
// RSI at the window's first candle, so a window that moved by one candle is a
// new computation; keeping them per symbol across ticks would only add memory
// traffic (a store of 500 symbols does not stay in cache). Within a visit the
// store does not change, so a request's symbol and window (its length and
// newest candle) name its values exactly; they live in a small arena reused
// by the next group of visits, which stays in cache. Two cases are kept
// across ticks (go_sliding_windows): the window kernels (MA series,
// Bollinger), whose value depends on its own period of closes only, slide
// by one candle with the newest value alone computed; and a chained window
// that did not move (a 1h window on the ticks of 1m candles) is served as it
// was.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "evaluation/go_sliding_windows.hpp"
#include "vyx/abi.h"
#include "vyx/runtime/market/candle_store.hpp"

namespace vyx::runtime {

class go_indicator_cache {
 public:
  // At most `max_values` doubles of results per group of visits; past it a
  // request is refused with VYX_ERR_CAPACITY and the SDK computes the values
  // itself. Without a store, nothing is computed ahead.
  // `kept_values`: the budget of the window kernels' windows kept across
  // ticks (go_sliding_windows).
  explicit go_indicator_cache(const candle_store* store = nullptr,
                              std::size_t max_values = std::size_t{1} << 19,
                              std::size_t kept_values = std::size_t{1} << 21);

  static bool serves(vyx_indicator_id id);

  // The visit of `symbol` at the moment `now_ms`, followed in the same tick by
  // the visits of symbol + 1 .. visit_end - 1 (0: none known). A visit that
  // does not continue the current group forgets its values (their arrays are
  // reused).
  void begin_visit(std::size_t symbol, std::int64_t now_ms, std::size_t visit_end);
  // A lone visit: no next visits known, nothing kept from before.
  void begin_visit(std::size_t symbol = 0) { begin_visit(symbol, 0, 0); }

  // Serves `r` (a full-size request with a Go id) for the visited `symbol`
  // over `view`, its closed candles of r.timeframe. The outputs stay valid
  // until the next visit that starts a group.
  vyx_status serve(std::size_t symbol, const vyx_candles& view, const vyx_indicator_request& r,
                   vyx_indicator_result* out);
  // serve() of a request whose values this visit has already: most requests
  // (every trader of a symbol after the first that asks). False otherwise,
  // with nothing written: the caller then makes the view and calls serve().
  bool serve_known(std::size_t symbol, const vyx_indicator_request& r, vyx_indicator_result* out);

  // Windows computed so far, and kernel runs (one run computes up to
  // `lanes` windows): how tests see the sharing.
  std::uint64_t computations() const { return computations_; }
  const go_sliding_windows& sliding() const { return sliding_; }
  std::uint64_t kernel_runs() const { return kernel_runs_; }
  static constexpr std::size_t lanes = 4;

 private:
  struct request_shape;
  using key = go_sliding_windows::key;  // a request's symbol, indicator, parameters, window
  struct memo {
    key k;
    std::int64_t last_open_time;  // of the window's newest candle
    std::uint32_t outputs;
    const double* values[go_sliding_windows::max_outputs];  // each k.window long
  };
  static key key_of(std::size_t symbol, const vyx_indicator_request& r);
  const memo* known(const key& k, std::int64_t last_open_time) const;
  static void answer(const memo& m, vyx_indicator_result* out);
  static bool same_request(const memo& m, const key& k, std::int64_t last_open_time);
  double* allocate(std::size_t n);  // uninitialised; null past max_values
  void remember(const key& k, std::int64_t last_open_time, std::uint32_t outputs,
                const double* const* values);
  // Whether the newest window of (symbol, timeframe) ends with the same
  // candle as at the last tick that asked for it; records this tick's.
  bool window_unmoved(std::size_t symbol, vyx_timeframe timeframe, std::int64_t newest_open_time);
  // The newest window through sliding_; false when it is not kept.
  bool keep(const key& k, const vyx_indicator_request& r, const request_shape& shape,
            const double* close);
  // The kernel over the window at `close` (and, chained and newest, over the
  // next symbols' windows in lanes), into the arena.
  vyx_status compute(const key& k, const vyx_indicator_request& r, const request_shape& shape,
                     const double* close, bool newest);
  // Symbols after `symbol` in this group whose newest window of `n` candles
  // has no values yet: they get a lane of the same computation.
  struct lane {
    std::size_t symbol;
    vyx_candles view;
    vyx_indicator_request request;
  };
  std::size_t ahead(std::size_t symbol, const vyx_indicator_request& r, std::uint64_t n,
                    lane* next_lanes) const;
  // EMA periods asked for one window: a trader that asks for two EMAs of it
  // (EMA(50) and EMA(200)) gets both from one run of the lanes, from the next
  // group on (go_ema_series_pair_lanes: two chains in the time of one).
  struct ema_ask {
    vyx_timeframe timeframe;
    std::uint64_t window;
    double period;
  };
  void note_ema_ask(const vyx_indicator_request& r);
  // A period asked in the last group, with r's timeframe and window, that
  // the visited symbol has no values of yet; 0 when none.
  long ema_companion(const key& k, const vyx_indicator_request& r, long period) const;
  // compute() of an EMA with its companion: false, with nothing remembered,
  // when the pair cannot run (fewer than four lanes, no FMA, no room).
  bool compute_ema_pair(const key& k, const vyx_indicator_request& r, long period, long companion,
                        const double* const* closes, double* const* values, const lane* next,
                        std::size_t count);

  std::vector<memo> memos_;  // the visited symbol's values
  std::vector<memo> ahead_;  // later symbols' values, computed in lanes with the visited one's
  std::vector<ema_ask> ema_asked_, ema_asked_before_;  // this group's, the last group's
  // Fixed blocks, so an array served earlier in the visit never moves.
  std::vector<std::unique_ptr<double[]>> blocks_;
  std::size_t block_ = 0, used_ = 0, group_values_ = 0;
  go_sliding_windows sliding_;  // newest windows kept across ticks
  struct window_moves {
    std::int64_t previous = 0, current = 0, now = 0;
    bool previous_seen = false, seen = false;
  };
  std::vector<window_moves> moves_;  // [symbol * VYX_TIMEFRAME_COUNT + timeframe]
  const candle_store* store_;
  std::size_t max_values_;
  std::int64_t group_now_ = 0;
  std::size_t visiting_ = 0, group_end_ = 0;  // the group: visits up to group_end_ - 1
  bool grouped_ = false;                      // false: the next visit starts over
  std::uint64_t computations_ = 0, kernel_runs_ = 0;
};

}  // namespace vyx::runtime
