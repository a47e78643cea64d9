// The Go traders' window series kept per symbol from one tick to the next,
// where that saves computing them again.
//
// The window kernels (CalculateMASeries, the Bollinger bands): a value
// depends on its own period of closes alone. When a tick's window is the
// kept one moved on by one candle, every value but the newest is one
// already computed: the rows slide by one and only the newest value is
// computed (rows()).
//
// The chained kernels (EMA, RSI, MACD) restart at each window's first
// candle, as the platform's do, so a window that moved is computed whole.
// But a window that did not move (a 1h window on the ticks of 1m candles)
// is the same values: once its caller sees it unmoved from one tick to the
// next, it is kept and served as it is while its closes stay the same
// (unmoved_rows()). Windows that move on every tick are not kept: keeping
// them would only move their values through memory.
//
// Exact by construction: the kept window's closes are compared bit for bit
// with the new window's, and a newest value comes from the same kernel over
// that value's own period, which does the same operations in the same order
// as the whole window's (go_wide_kernels_test checks every lane width and
// tail against the plugins' kernel).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "vyx/abi.h"

namespace vyx::runtime {

class go_sliding_windows {
 public:
  // What names a kept window: the request without its newest candle. The
  // parameters compare bit for bit (a NaN is its own parameter).
  struct key {
    std::size_t symbol;
    vyx_indicator_id indicator;
    vyx_timeframe timeframe;
    std::uint32_t param_count;
    double params[VYX_INDICATOR_MAX_PARAMS];
    std::uint64_t window;
    friend bool operator==(const key& a, const key& b);
  };
  // The kernel over `n` closes into `outputs` rows of n zero-filled values.
  using kernel = void (*)(const void* context, const double* close, long n, double* const* rows);
  enum class outcome { kept, moved_on, computed, refused };
  static constexpr std::uint32_t max_outputs = 3;

  // At most `max_values` doubles kept (each window keeps its closes and its
  // rows, with room to slide); past it a new window is refused until
  // start_over().
  explicit go_sliding_windows(std::size_t max_values = std::size_t{1} << 21);

  // A window kernel's rows of `outputs` values for the window close[0..n)
  // of `k`, each row's first `zeros` values the platform's zeros (period -
  // 1). out[i] stays valid until the next call for the same key: so it must
  // be asked only for windows a tick does not change (the newest candles).
  // `version`: the store's closed_version of the window's candles, which
  // tells a kept or slid window without comparing its closes; 0 when
  // unknown (the closes are compared then).
  outcome rows(const key& k, const double* close, long n, std::uint32_t outputs, long zeros,
               kernel compute, const void* context, const double** out, std::uint64_t version = 0);
  // A chained kernel's rows for the window close[0..n) of `k`, which the
  // caller found did not move since the last tick: the kept ones when their
  // closes are these, else computed and kept. Valid as rows()'s.
  outcome unmoved_rows(const key& k, const double* close, long n, std::uint32_t outputs,
                       kernel compute, const void* context, const double** out,
                       std::uint64_t version = 0);

  // Whether a window was refused for the budget (traders edited over weeks
  // leave keys nobody asks for any more).
  bool full() const { return full_; }
  // Forgets every kept window; only when no row handed out is still in use
  // (go_indicator_cache: at the start of a group of visits).
  void start_over();

  // What a key counts against the budget besides its rows.
  static const std::size_t key_values;

  // Windows served as kept, and windows that slid by one candle.
  std::uint64_t kept() const { return kept_; }
  std::uint64_t moved_on() const { return moved_on_; }

 private:
  struct entry {
    key k;
    long n = 0;
    std::uint32_t outputs = 0;
    long capacity = 0;          // per row: room for the window to slide before the rows move back
    long offset = 0;            // where the window starts in each row
    std::uint64_t version = 0;  // the closes' closed_version, 0 when unknown
    std::unique_ptr<double[]> storage;  // rows of `capacity`: the closes, then each output
    double* row(std::uint32_t i) { return storage.get() + i * capacity; }
  };
  // Whether e's window, `appended` candles on, is the one of these closes: by
  // the store's version when both are known, else by comparing the closes.
  static bool holds(entry& e, const double* close, long n, std::uint64_t version,
                    long appended = 0);
  entry* find(const key& k);
  entry* entry_for(const key& k);  // found, or a new one without rows
  bool give_rows(entry& e, long n, std::uint32_t outputs, long capacity);
  void compute_whole(entry& e, const double* close, kernel compute, const void* context);
  void move_on(entry& e, const double* close, long zeros, kernel compute, const void* context);

  std::vector<std::vector<entry>> by_symbol_;
  std::vector<double> scratch_;  // the newest value's own period, per output
  std::size_t max_values_, used_values_ = 0;
  bool full_ = false;
  std::uint64_t kept_ = 0, moved_on_ = 0;
};

}  // namespace vyx::runtime
