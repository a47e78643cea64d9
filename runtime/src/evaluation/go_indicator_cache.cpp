// See go_indicator_cache.hpp. This file computes the platform's indicators
// with the plugins' own kernels, so it is compiled with their IEEE flags
// (-ffp-contract=off, runtime/CMakeLists.txt): a served value must be the
// one the trader would have computed, bit for bit.
#include "evaluation/go_indicator_cache.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "evaluation/go_sliding_windows.hpp"
#include "evaluation/go_wide_kernels.hpp"
#include "vyx/sdk/go/indicator_kernels.hpp"

namespace vyx::runtime {
namespace kernels = vyx::go::kernels;

namespace {

// Doubles per arena block: a window of 250 with three outputs is 750.
constexpr std::size_t block_values = std::size_t{1} << 14;
// Distinct requests per visit: traders ask for a handful each; past this the
// linear look-up would cost more than the plugin computing its own.
constexpr std::size_t max_memos = 256;

// A period must be a whole number the window could hold; past this no window
// can, so a request beyond it is malformed rather than short of data.
constexpr double max_period = 1 << 20;

bool as_period(double x, long* out) {
  if (!(x >= 1 && x <= max_period) || x != std::floor(x)) return false;
  *out = static_cast<long>(x);
  return true;
}

// Where the window ends in `view`: the index of the candle opened at
// `open_time` (normally the newest one), or -1.
long window_end(const vyx_candles& view, std::int64_t open_time) {
  if (view.count == 0) return -1;
  const long last = static_cast<long>(view.count) - 1;
  if (view.open_time[last] == open_time) return last;
  const std::int64_t* begin = view.open_time;
  const std::int64_t* end = view.open_time + view.count;
  const std::int64_t* at = std::lower_bound(begin, end, open_time);
  return at != end && *at == open_time ? static_cast<long>(at - begin) : -1;
}

}  // namespace

// A request's parameters, checked: what the kernel needs, how many outputs,
// and the fewest candles it takes (the SDK's nil cases are below that).
struct go_indicator_cache::request_shape {
  vyx_indicator_id id = 0;
  long period = 0, fast = 0, slow = 0, signal = 0;
  double mult = 0;
  std::uint32_t outputs = 1;
  long need = 0;

  bool parse(const vyx_indicator_request& r) {
    id = r.indicator;
    switch (id) {
      case VYX_IND_GO_MA_SERIES:
      case VYX_IND_GO_EMA_SERIES:
        if (r.param_count != 1 || !as_period(r.params[0], &period)) return false;
        need = period;
        return true;
      case VYX_IND_GO_RSI:
        if (r.param_count != 1 || !as_period(r.params[0], &period)) return false;
        need = period + 1;
        return true;
      case VYX_IND_GO_MACD:
        if (r.param_count != 3 || !as_period(r.params[0], &fast) ||
            !as_period(r.params[1], &slow) || !as_period(r.params[2], &signal))
          return false;
        outputs = 3;
        need = slow;
        return true;
      case VYX_IND_GO_BBANDS:
        if (r.param_count != 2 || !as_period(r.params[0], &period) || !std::isfinite(r.params[1]))
          return false;
        mult = r.params[1];
        outputs = 3;
        need = period;
        return true;
      default:
        return false;
    }
  }

  // Whether several windows can run side by side (the kernels' *_lanes forms).
  bool chained() const {
    return id == VYX_IND_GO_EMA_SERIES || id == VYX_IND_GO_RSI || id == VYX_IND_GO_MACD;
  }

  // The chained kernel over L windows of `n` closes, into out[l] (outputs x n each).
  template <int L>
  void compute_lanes(const double* const* close, long n, double* const* out) const {
    switch (id) {
      case VYX_IND_GO_EMA_SERIES:
        if (!go_ema_series_lanes(close, L, n, period, out))
          kernels::ema_series_lanes<L>(close, n, period, out);
        break;
      case VYX_IND_GO_RSI:
        if (!go_rsi_series_lanes(close, L, n, period, out))
          kernels::rsi_series_lanes<L>(close, n, period, out);
        break;
      case VYX_IND_GO_MACD:
        if (fast <= n) {
          double* signal_line[L];
          double* histogram[L];
          for (int l = 0; l < L; ++l) {
            signal_line[l] = out[l] + n;
            histogram[l] = out[l] + 2 * n;
          }
          if (!go_macd_lanes(close, L, n, fast, slow, signal, out, signal_line, histogram))
            kernels::macd_lanes<L>(close, n, fast, slow, signal, out, signal_line, histogram);
        } else {
          for (int l = 0; l < L; ++l) compute(close[l], n, out[l]);
        }
        break;
      default:
        break;
    }
  }
  void compute_lanes(std::size_t lanes, const double* const* close, long n,
                     double* const* out) const {
    static_assert(go_indicator_cache::lanes == 4, "one case per lane count below");
    switch (lanes) {
      case 1:
        compute(close[0], n, out[0]);
        break;
      case 2:
        compute_lanes<2>(close, n, out);
        break;
      case 3:
        compute_lanes<3>(close, n, out);
        break;
      default:
        compute_lanes<4>(close, n, out);
        break;
    }
  }

  // Zeros where the kernel writes nothing (its warm-up): the platform's
  // values there, which the SDK's kernels leave to their caller. Only these
  // prefixes: the arena is reused group after group, and clearing whole
  // arrays that the kernels then overwrite cost more than the EMA itself.
  void clear_warm_up(double* v, long n) const {
    const auto zero = [&](std::uint32_t output, long count) {
      std::fill_n(v + output * n, std::clamp(count, 0L, n), 0.0);
    };
    switch (id) {
      case VYX_IND_GO_MA_SERIES:
        zero(0, period - 1);
        break;
      case VYX_IND_GO_RSI:
        zero(0, period);
        break;
      case VYX_IND_GO_MACD:  // the line and histogram start at the first candle
        zero(1, signal - 1);
        break;
      case VYX_IND_GO_BBANDS:
        for (std::uint32_t o = 0; o < 3; ++o) zero(o, period - 1);
        break;
      default:  // the EMA series starts at the first candle
        break;
    }
  }

  // The kernel over the `n` closes into separate zero-filled rows (one per
  // output), as go_sliding_windows asks.
  static void compute_rows(const void* self, const double* close, long n, double* const* rows) {
    static_cast<const request_shape*>(self)->compute(close, n, rows);
  }
  void compute(const double* close, long n, double* const* rows) const {
    switch (id) {
      case VYX_IND_GO_MA_SERIES:
        go_ma_series(close, n, period, rows[0]);
        break;
      case VYX_IND_GO_EMA_SERIES:
        kernels::ema_series(close, n, period, rows[0]);
        break;
      case VYX_IND_GO_RSI:
        if (!go_rsi_series_lanes(&close, 1, n, period, rows))
          kernels::rsi_series(close, n, period, rows[0]);
        break;
      case VYX_IND_GO_MACD:
        kernels::macd(close, n, fast, slow, signal, rows[0], rows[1], rows[2]);
        break;
      case VYX_IND_GO_BBANDS:
        go_bollinger(close, n, period, mult, rows[0], rows[1], rows[2]);
        break;
      default:
        break;
    }
  }
  // Into `v`, outputs x n.
  void compute(const double* close, long n, double* v) const {
    double* const rows[] = {v, v + n, v + 2 * n};
    compute(close, n, rows);
  }
};

go_indicator_cache::go_indicator_cache(const candle_store* store, std::size_t max_values,
                                       std::size_t kept_values)
    : sliding_(kept_values), store_(store), max_values_(max_values) {}

bool go_indicator_cache::serves(vyx_indicator_id id) {
  return id >= VYX_IND_GO_MA_SERIES && id <= VYX_IND_GO_BBANDS;
}

void go_indicator_cache::begin_visit(std::size_t symbol, std::int64_t now_ms,
                                     std::size_t visit_end) {
  const bool continues =
      grouped_ && now_ms == group_now_ && symbol >= visiting_ && symbol < group_end_;
  if (continues && symbol == visiting_) return;
  visiting_ = symbol;
  memos_.clear();
  if (continues) {
    // This symbol's lane results become its memos; earlier symbols' go.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < ahead_.size(); ++i) {
      if (ahead_[i].k.symbol == symbol)
        memos_.push_back(ahead_[i]);
      else if (ahead_[i].k.symbol > symbol)
        ahead_[kept++] = ahead_[i];
    }
    ahead_.resize(kept);
    return;
  }
  ahead_.clear();
  ema_asked_before_.swap(ema_asked_);
  ema_asked_.clear();
  block_ = used_ = group_values_ = 0;
  // No row of the kept windows is served past its group either: when they
  // filled their budget, they start over with the windows asked from now on.
  if (sliding_.full()) sliding_.start_over();
  grouped_ = visit_end != 0;
  group_now_ = now_ms;
  group_end_ = symbol + 1;
  if (store_ != nullptr && visit_end > group_end_) group_end_ = std::min(visit_end, symbol + lanes);
}

double* go_indicator_cache::allocate(std::size_t n) {
  if (n > max_values_ - group_values_) return nullptr;
  if (n > block_values) return nullptr;  // a window longer than any store keeps
  if (block_ < blocks_.size() && used_ + n > block_values) {
    ++block_;
    used_ = 0;
  }
  if (block_ == blocks_.size()) blocks_.push_back(std::make_unique<double[]>(block_values));
  double* p = blocks_[block_].get() + used_;
  used_ += n;
  group_values_ += n;
#ifndef NDEBUG
  // What the kernel and clear_warm_up leave unwritten shows up in tests.
  std::fill_n(p, n, std::numeric_limits<double>::quiet_NaN());
#endif
  return p;
}

go_indicator_cache::key go_indicator_cache::key_of(std::size_t symbol,
                                                   const vyx_indicator_request& r) {
  key k{};
  k.symbol = symbol;
  k.indicator = r.indicator;
  k.timeframe = r.timeframe;
  k.param_count = r.param_count;
  std::memcpy(k.params, r.params, sizeof k.params);
  k.window = r.window_count;
  return k;
}

bool go_indicator_cache::same_request(const memo& m, const key& k, std::int64_t last_open_time) {
  return m.last_open_time == last_open_time && m.k == k;
}

void go_indicator_cache::remember(const key& k, std::int64_t last_open_time, std::uint32_t outputs,
                                  const double* const* values) {
  memo m{};
  m.k = k;
  m.last_open_time = last_open_time;
  m.outputs = outputs;
  for (std::uint32_t i = 0; i < outputs; ++i) m.values[i] = values[i];
  (k.symbol == visiting_ ? memos_ : ahead_).push_back(m);
}

std::size_t go_indicator_cache::ahead(std::size_t symbol, const vyx_indicator_request& r,
                                      std::uint64_t n, lane* next_lanes) const {
  std::size_t count = 0;
  for (std::size_t next = symbol + 1; next < group_end_ && count + 1 < lanes; ++next) {
    if (next >= store_->symbol_count()) break;
    const vyx_candles v = store_->view(next, r.timeframe);
    if (v.count < n) continue;
    vyx_indicator_request q = r;
    q.window_last_open_time = v.open_time[v.count - 1];
    bool known = false;
    const key next_key = key_of(next, q);
    for (const memo& m : ahead_)
      known = known || same_request(m, next_key, q.window_last_open_time);
    if (known) continue;
    next_lanes[count++] = lane{next, v, q};
  }
  return count;
}

bool go_indicator_cache::window_unmoved(std::size_t symbol, vyx_timeframe timeframe,
                                        std::int64_t newest_open_time) {
  if (store_ == nullptr || symbol >= store_->symbol_capacity() || timeframe >= VYX_TIMEFRAME_COUNT)
    return false;
  const std::size_t at = symbol * VYX_TIMEFRAME_COUNT + timeframe;
  if (at >= moves_.size()) moves_.resize(store_->symbol_capacity() * VYX_TIMEFRAME_COUNT);
  window_moves& m = moves_[at];
  if (!m.seen || m.now != group_now_) {
    m.previous = m.current;
    m.previous_seen = m.seen;
    m.current = newest_open_time;
    m.now = group_now_;
    m.seen = true;
  }
  return m.previous_seen && m.previous == newest_open_time;
}

bool go_indicator_cache::keep(const key& k, const vyx_indicator_request& r,
                              const request_shape& shape, const double* close) {
  const long n = static_cast<long>(r.window_count);
  const double* rows[go_sliding_windows::max_outputs];
  if (shape.chained() && !window_unmoved(k.symbol, r.timeframe, r.window_last_open_time))
    return false;
  const std::uint64_t version =
      store_ != nullptr ? store_->closed_version(k.symbol, r.timeframe) : 0;
  const auto done = shape.chained()
                        ? sliding_.unmoved_rows(k, close, n, shape.outputs,
                                                request_shape::compute_rows, &shape, rows, version)
                        : sliding_.rows(k, close, n, shape.outputs, shape.period - 1,
                                        request_shape::compute_rows, &shape, rows, version);
  if (done == go_sliding_windows::outcome::refused) return false;
  if (done == go_sliding_windows::outcome::computed) {
    ++kernel_runs_;
    ++computations_;
  }
  remember(k, r.window_last_open_time, shape.outputs, rows);
  return true;
}

vyx_status go_indicator_cache::compute(const key& k, const vyx_indicator_request& r,
                                       const request_shape& shape, const double* close,
                                       bool newest) {
  const std::uint64_t n = r.window_count;
  // The symbols visited next in this group get a lane when this window is
  // the newest one (what their traders will ask for).
  lane next[lanes - 1];
  std::size_t extra = 0;
  if (store_ != nullptr && newest && shape.chained()) extra = ahead(k.symbol, r, n, next);
  const double* closes[lanes];
  double* values[lanes];
  closes[0] = close;
  for (std::size_t l = 0; l <= extra; ++l) {
    values[l] = allocate(n * shape.outputs);
    if (values[l] == nullptr) {
      if (l == 0) return VYX_ERR_CAPACITY;
      extra = l - 1;  // fewer lanes: the budget is spent
      break;
    }
    if (l > 0) closes[l] = next[l - 1].view.close + (next[l - 1].view.count - n);
    shape.clear_warm_up(values[l], static_cast<long>(n));
  }
  const long companion = shape.id == VYX_IND_GO_EMA_SERIES && newest && extra + 1 == lanes
                             ? ema_companion(k, r, shape.period)
                             : 0;
  if (companion == 0 ||
      !compute_ema_pair(k, r, shape.period, companion, closes, values, next, extra + 1))
    shape.compute_lanes(extra + 1, closes, static_cast<long>(n), values);
  ++kernel_runs_;
  computations_ += extra + 1;
  // The visited symbol's last, so that it is memos_.back().
  const double* rows[go_sliding_windows::max_outputs];
  for (std::size_t l = extra + 1; l-- > 0;) {
    for (std::uint32_t o = 0; o < shape.outputs; ++o) rows[o] = values[l] + o * n;
    if (l > 0) {
      const lane& other = next[l - 1];
      remember(key_of(other.symbol, other.request), other.request.window_last_open_time,
               shape.outputs, rows);
      // So that their next tick knows whether their window moved.
      window_unmoved(other.symbol, r.timeframe, other.request.window_last_open_time);
    } else {
      remember(k, r.window_last_open_time, shape.outputs, rows);
    }
  }
  return VYX_OK;
}

void go_indicator_cache::note_ema_ask(const vyx_indicator_request& r) {
  constexpr std::size_t max_asks = 8;  // the companions looked at per computation
  if (r.param_count != 1) return;
  for (const ema_ask& a : ema_asked_)
    if (a.timeframe == r.timeframe && a.window == r.window_count && a.period == r.params[0]) return;
  if (ema_asked_.size() < max_asks)
    ema_asked_.push_back(ema_ask{r.timeframe, r.window_count, r.params[0]});
}

long go_indicator_cache::ema_companion(const key& k, const vyx_indicator_request& r,
                                       long period) const {
  for (const ema_ask& a : ema_asked_before_) {
    long other = 0;
    if (a.timeframe != r.timeframe || a.window != r.window_count || !as_period(a.period, &other) ||
        other == period || static_cast<std::uint64_t>(other) > r.window_count)
      continue;
    key companion = k;
    companion.params[0] = a.period;
    bool known = false;
    for (const memo& m : memos_)
      known = known || same_request(m, companion, r.window_last_open_time);
    if (!known) return other;
  }
  return 0;
}

bool go_indicator_cache::compute_ema_pair(const key& k, const vyx_indicator_request& r, long period,
                                          long companion, const double* const* closes,
                                          double* const* values, const lane* next,
                                          std::size_t count) {
  if (count != lanes || memos_.size() + ahead_.size() + 2 * lanes > max_memos) return false;
  const std::uint64_t n = r.window_count;
  double* companion_values[lanes];
  for (std::size_t l = 0; l < count; ++l)
    if ((companion_values[l] = allocate(n)) == nullptr) return false;
  if (!go_ema_series_pair_lanes(closes, static_cast<long>(count), static_cast<long>(n), period,
                                companion, values, companion_values))
    return false;
  computations_ += count;
  // Before the asked EMA's: compute() leaves the visited symbol's asked values last.
  for (std::size_t l = 0; l < count; ++l) {
    vyx_indicator_request q = l == 0 ? r : next[l - 1].request;
    q.params[0] = static_cast<double>(companion);
    const double* rows[] = {companion_values[l]};
    remember(key_of(l == 0 ? k.symbol : next[l - 1].symbol, q), q.window_last_open_time, 1, rows);
  }
  return true;
}

vyx_status go_indicator_cache::serve(std::size_t symbol, const vyx_candles& view,
                                     const vyx_indicator_request& r, vyx_indicator_result* out) {
  if (r.indicator == VYX_IND_GO_EMA_SERIES) note_ema_ask(r);
  const key k = key_of(symbol, r);
  const memo* found = known(k, r.window_last_open_time);
  if (found == nullptr) {
    if (memos_.size() + ahead_.size() + lanes > max_memos) return VYX_ERR_CAPACITY;
    request_shape shape;
    if (r.param_count > VYX_INDICATOR_MAX_PARAMS || !shape.parse(r))
      return VYX_ERR_INVALID_ARGUMENT;
    const std::uint64_t n = r.window_count;
    if (n == 0 || n > view.count || static_cast<long>(n) < shape.need)
      return VYX_ERR_NOT_ENOUGH_DATA;
    const long last = window_end(view, r.window_last_open_time);
    if (last < 0 || static_cast<std::uint64_t>(last) + 1 < n) return VYX_ERR_NOT_ENOUGH_DATA;
    const double* close = view.close + (static_cast<std::uint64_t>(last) + 1 - n);
    const bool newest = static_cast<std::uint64_t>(last) + 1 == view.count;
    // The newest windows are kept per symbol across ticks where that saves
    // computing them (go_sliding_windows). Only the newest: a kept window's
    // rows change when its key comes with other closes, which within a tick
    // only an older window could bring.
    if (!(newest && keep(k, r, shape, close))) {
      const vyx_status status = compute(k, r, shape, close, newest);
      if (status != VYX_OK) return status;
    }
    found = &memos_.back();
  }
  answer(*found, out);
  return VYX_OK;
}

bool go_indicator_cache::serve_known(std::size_t symbol, const vyx_indicator_request& r,
                                     vyx_indicator_result* out) {
  const memo* found = known(key_of(symbol, r), r.window_last_open_time);
  if (found == nullptr) return false;
  // Noted even when served from a pair's run, so the next group pairs them again.
  if (r.indicator == VYX_IND_GO_EMA_SERIES) note_ema_ask(r);
  answer(*found, out);
  return true;
}

const go_indicator_cache::memo* go_indicator_cache::known(const key& k,
                                                          std::int64_t last_open_time) const {
  for (const memo& m : memos_)
    if (same_request(m, k, last_open_time)) return &m;
  return nullptr;
}

void go_indicator_cache::answer(const memo& m, vyx_indicator_result* out) {
  out->output_count = m.outputs;
  out->length = m.k.window;
  for (std::uint32_t i = 0; i < VYX_INDICATOR_MAX_OUTPUTS; ++i)
    out->outputs[i] = i < m.outputs ? m.values[i] : nullptr;
}

}  // namespace vyx::runtime
