// See go_sliding_windows.hpp.
#include "evaluation/go_sliding_windows.hpp"

#include <algorithm>
#include <cstring>

namespace vyx::runtime {
namespace {

// Symbols are the candle store's slot indices; past this a request is not
// from a store (a test's or a malformed index) and is not kept.
constexpr std::size_t max_symbols = std::size_t{1} << 16;

bool same_values(const double* a, const double* b, long n) {
  return std::memcmp(a, b, sizeof(double) * static_cast<std::size_t>(n)) == 0;
}

}  // namespace

const std::size_t go_sliding_windows::key_values = sizeof(entry) / sizeof(double) + 1;

go_sliding_windows::go_sliding_windows(std::size_t max_values) : max_values_(max_values) {}

bool operator==(const go_sliding_windows::key& a, const go_sliding_windows::key& b) {
  return a.symbol == b.symbol && a.indicator == b.indicator && a.timeframe == b.timeframe &&
         a.param_count == b.param_count && a.window == b.window &&
         std::memcmp(a.params, b.params, sizeof a.params) == 0;
}

void go_sliding_windows::start_over() {
  by_symbol_.clear();
  used_values_ = 0;
  full_ = false;
}

go_sliding_windows::entry* go_sliding_windows::find(const key& k) {
  if (k.symbol >= by_symbol_.size()) return nullptr;
  for (entry& e : by_symbol_[k.symbol])
    if (e.k == k) return &e;
  return nullptr;
}

go_sliding_windows::entry* go_sliding_windows::entry_for(const key& k) {
  if (entry* e = find(k)) return e;
  if (k.symbol >= max_symbols) return nullptr;
  if (key_values > max_values_ - used_values_) {
    full_ = true;
    return nullptr;
  }
  used_values_ += key_values;
  if (k.symbol >= by_symbol_.size()) by_symbol_.resize(k.symbol + 1);
  entry& e = by_symbol_[k.symbol].emplace_back();
  e.k = k;
  return &e;
}

bool go_sliding_windows::give_rows(entry& e, long n, std::uint32_t outputs, long capacity) {
  const std::size_t values = static_cast<std::size_t>(capacity) * (1 + outputs);
  if (values > max_values_ - used_values_) {
    full_ = true;
    return false;
  }
  used_values_ += values;
  e.n = n;
  e.outputs = outputs;
  e.capacity = capacity;
  e.offset = 0;
  e.storage = std::make_unique<double[]>(values);
  return true;
}

void go_sliding_windows::compute_whole(entry& e, const double* close, kernel compute,
                                       const void* context) {
  e.offset = 0;
  std::copy_n(close, e.n, e.row(0));
  double* rows[max_outputs];
  for (std::uint32_t o = 0; o < e.outputs; ++o) {
    rows[o] = e.row(1 + o);
    std::fill_n(rows[o], e.n, 0.0);
  }
  compute(context, close, e.n, rows);
}

void go_sliding_windows::move_on(entry& e, const double* close, long zeros, kernel compute,
                                 const void* context) {
  const long n = e.n;
  if (e.offset + n + 1 > e.capacity) {
    // Out of room: the window's last n - 1 values of every row move back.
    for (std::uint32_t r = 0; r <= e.outputs; ++r)
      std::memmove(e.row(r), e.row(r) + e.offset + 1,
                   sizeof(double) * static_cast<std::size_t>(n - 1));
    e.offset = 0;
  } else {
    ++e.offset;
  }
  e.row(0)[e.offset + n - 1] = close[n - 1];
  // The newest value over its own period alone (zeros + 1 closes), in scratch
  // rows the kernel may fill like a window's.
  const long own = zeros + 1;
  scratch_.assign(static_cast<std::size_t>(own) * e.outputs, 0.0);
  double* rows[max_outputs];
  for (std::uint32_t o = 0; o < e.outputs; ++o) rows[o] = scratch_.data() + o * own;
  compute(context, close + n - own, own, rows);
  for (std::uint32_t o = 0; o < e.outputs; ++o) {
    double* row = e.row(1 + o) + e.offset;
    // The value that slid into the last of the zeros was the first computed one.
    if (zeros > 0) row[zeros - 1] = 0.0;
    row[n - 1] = rows[o][own - 1];
  }
}

bool go_sliding_windows::holds(entry& e, const double* close, long n, std::uint64_t version,
                               long appended) {
  if (version != 0 && e.version != 0) return version == e.version + appended;
  return same_values(e.row(0) + e.offset + appended, close, n - appended);
}

go_sliding_windows::outcome go_sliding_windows::rows(const key& k, const double* close, long n,
                                                     std::uint32_t outputs, long zeros,
                                                     kernel compute, const void* context,
                                                     const double** out, std::uint64_t version) {
  if (n < 1 || outputs < 1 || outputs > max_outputs || zeros < 0 || zeros >= n)
    return outcome::refused;
  entry* e = entry_for(k);
  if (e == nullptr) return outcome::refused;
  outcome done = outcome::computed;
  if (e->storage == nullptr) {
    // Twice the window per row: the rows move back once every n slides.
    if (!give_rows(*e, n, outputs, 2 * n)) return outcome::refused;
    compute_whole(*e, close, compute, context);
  } else if (e->n != n || e->outputs != outputs) {
    return outcome::refused;
  } else {
    // With both versions known, the store says what changed: nothing, one
    // candle appended (the newest window slid by one), or more. Else the
    // closes say it, 2 KB compared for a window of 250.
    if (holds(*e, close, n, version)) {
      done = outcome::kept;
      ++kept_;
    } else if (holds(*e, close, n, version, 1)) {
      move_on(*e, close, zeros, compute, context);
      done = outcome::moved_on;
      ++moved_on_;
    } else {
      compute_whole(*e, close, compute, context);
    }
  }
  e->version = version;
  for (std::uint32_t o = 0; o < outputs; ++o) out[o] = e->row(1 + o) + e->offset;
  return done;
}

go_sliding_windows::outcome go_sliding_windows::unmoved_rows(const key& k, const double* close,
                                                             long n, std::uint32_t outputs,
                                                             kernel compute, const void* context,
                                                             const double** out,
                                                             std::uint64_t version) {
  if (n < 1 || outputs < 1 || outputs > max_outputs) return outcome::refused;
  entry* e = entry_for(k);
  if (e == nullptr) return outcome::refused;
  if (e->storage != nullptr && (e->n != n || e->outputs != outputs)) return outcome::refused;
  outcome done = outcome::computed;
  if (e->storage != nullptr && holds(*e, close, n, version)) {
    done = outcome::kept;
    ++kept_;
  } else {
    if (e->storage == nullptr && !give_rows(*e, n, outputs, n)) return outcome::refused;
    compute_whole(*e, close, compute, context);
  }
  e->version = version;
  for (std::uint32_t o = 0; o < outputs; ++o) out[o] = e->row(1 + o);
  return done;
}

}  // namespace vyx::runtime
