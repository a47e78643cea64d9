// Streaming indicator states served through the host table (see indicator_cache.hpp).
#include "evaluation/indicator_cache.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime {
namespace {

// Row i of a candle view, as the streaming indicators take it.
inline ta::bar bar_at(const vyx_candles& v, std::size_t i) {
  ta::bar b;
  b.open = v.open[i];
  b.high = v.high[i];
  b.low = v.low[i];
  b.close = v.close[i];
  b.volume = v.volume[i];
  b.open_time = v.open_time[i];
  b.taker_buy_volume = v.taker_buy_base_volume[i];
  return b;
}

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

vyx_status host_indicator(void* host_context, const vyx_indicator_request* request,
                          vyx_indicator_result* out) {
  if (host_context == nullptr || request == nullptr || out == nullptr)
    return VYX_ERR_INVALID_ARGUMENT;
  auto* c = static_cast<indicator_cache::context*>(host_context);
  return c->cache->serve(c->symbol, *request, out);
}

const vyx_host_api host_table{sizeof(vyx_host_api), VYX_ABI_VERSION, &host_indicator};

}  // namespace

std::uint64_t indicator_salt(std::string_view symbol) {
  return fnv1a(symbol);
}

const ta::indicator_info* catalog_entry_for(vyx_indicator_id id) {
  return ta::find_indicator_by_abi_id(id);
}

std::size_t indicator_anchor(const vyx_candles& v, std::uint32_t capacity, std::uint64_t salt) {
  const std::size_t n = v.count;
  if (n < capacity || n == 0) return 0;
  const std::uint64_t stride = capacity >= 8 ? capacity / 4 : 1;
  const std::int64_t tf = timeframe_ms(v.timeframe);
  auto bar_of = [&](std::size_t i) { return v.open_time[i] / tf; };
  auto on_boundary = [&](std::size_t i) {
    return (static_cast<std::uint64_t>(bar_of(i)) + salt) % stride == 0;
  };
  // Regular spacing (the normal case): the boundary is found by arithmetic.
  const std::uint64_t phase = (static_cast<std::uint64_t>(bar_of(0)) + salt) % stride;
  const std::size_t guess = phase == 0 ? 0 : static_cast<std::size_t>(stride - phase);
  if (guess < n && bar_of(guess) == bar_of(0) + static_cast<std::int64_t>(guess) &&
      on_boundary(guess))
    return guess;
  for (std::size_t i = 0; i < n; ++i)
    if (on_boundary(i)) return i;
  return 0;
}

struct indicator_cache::entry {
  const ta::indicator_info* info = nullptr;
  std::unique_ptr<ta::stream> stream;
  std::size_t outputs = 0;
  std::uint32_t capacity = 0;
  std::uint32_t span = 0;         // values per output: capacity + slack
  std::uint32_t first_start = 0;  // where a rebuild starts: spread over the slack per key
  std::int64_t anchor_time = 0;   // open_time of the anchor candle
  std::int64_t last_time = 0;     // open_time of the newest candle pushed
  std::uint64_t written = 0;      // values pushed since the last rebuild
  std::uint32_t start = 0;        // the kept values are [start, start + count) of each output
  std::uint32_t count = 0;
  // outputs x span, laid out like the candle store's columns: the newest
  // values contiguous, moved back to the front when the end is reached
  // (a mirrored ring would double the worker's biggest allocation).
  std::vector<double> values;
};

indicator_cache::indicator_cache(const candle_store& store, std::size_t max_entries)
    : store_(store), timeframes_(store.timeframes()), max_entries_(max_entries), go_(&store) {
  symbol_salt_.reserve(store.symbol_count());
  for (std::size_t s = 0; s < store.symbol_count(); ++s)
    symbol_salt_.push_back(indicator_salt(store.symbol(s)));
}

indicator_cache::~indicator_cache() = default;

bool indicator_cache::key::operator==(const key& o) const {
  return symbol == o.symbol && timeframe == o.timeframe && indicator == o.indicator &&
         param_count == o.param_count && std::memcmp(params, o.params, sizeof params) == 0;
}

std::size_t indicator_cache::key_hash::operator()(const key& k) const {
  // Word-wise multiply-mix: every trader's every indicator call hashes a key,
  // so this runs tens of thousands of times per tick.
  static_assert(sizeof(key) % 8 == 0);
  std::uint64_t words[sizeof(key) / 8];
  std::memcpy(words, &k, sizeof k);
  std::uint64_t h = 0x9E3779B97F4A7C15ull;
  for (std::uint64_t w : words) {
    h ^= w;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
  }
  return static_cast<std::size_t>(h);
}

const vyx_host_api* indicator_cache::host_api() {
  return &host_table;
}

void indicator_cache::push(entry& e, const vyx_candles& v, std::size_t i, bool before_anchor) {
  double out[VYX_INDICATOR_MAX_OUTPUTS];
  if (before_anchor) {
    for (std::size_t k = 0; k < e.outputs; ++k) out[k] = nan_value;
  } else {
    e.stream->update(bar_at(v, i), out);
  }
  std::uint32_t end = e.start + e.count;
  if (end == e.span) {
    const std::uint32_t keep = std::min(e.count, e.capacity - 1);
    for (std::size_t k = 0; k < e.outputs; ++k) {
      double* base = e.values.data() + k * e.span;
      std::memmove(base, base + (end - keep), keep * sizeof(double));
    }
    e.start = 0;
    e.count = keep;
    end = keep;
  }
  for (std::size_t k = 0; k < e.outputs; ++k) e.values[k * e.span + end] = out[k];
  if (e.count < e.capacity)
    ++e.count;
  else
    ++e.start;
  ++e.written;
  e.last_time = v.open_time[i];
}

void indicator_cache::rebuild(entry& e, const vyx_candles& v, std::size_t anchor) {
  ++rebuilds_;
  e.stream->reset();
  // Entries rebuilt together would otherwise move their windows together.
  e.start = e.first_start;
  e.anchor_time = v.open_time[anchor];
  // The whole window in one pass (a reload's warm-up is mostly this loop):
  // a view never holds more than the capacity and first_start is inside the
  // slack, so [start, start + count) fits the span and nothing moves.
  const std::size_t n = v.count;
  if (n > e.capacity) {  // not with the store's views; kept exact anyway
    e.count = 0;
    for (std::size_t i = 0; i < n; ++i) push(e, v, i, i < anchor);
    e.written = n;
    return;
  }
  double* base = e.values.data() + e.start;
  for (std::size_t k = 0; k < e.outputs; ++k) std::fill_n(base + k * e.span, anchor, nan_value);
  double out[VYX_INDICATOR_MAX_OUTPUTS];
  for (std::size_t i = anchor; i < n; ++i) {
    e.stream->update(bar_at(v, i), out);
    for (std::size_t k = 0; k < e.outputs; ++k) base[k * e.span + i] = out[k];
  }
  e.count = static_cast<std::uint32_t>(n);
  e.written = n;
  e.last_time = n > 0 ? v.open_time[n - 1] : 0;
}

vyx_status indicator_cache::serve(std::size_t symbol, const vyx_indicator_request& r,
                                  vyx_indicator_result* out) {
  // A request of the first size (an older plugin) is complete without the
  // window fields appended since.
  if (r.struct_size < VYX_INDICATOR_REQUEST_V1_SIZE || out == nullptr ||
      out->struct_size < sizeof(vyx_indicator_result))
    return VYX_ERR_INVALID_ARGUMENT;
  if (symbol >= store_.symbol_count()) return VYX_ERR_INVALID_ARGUMENT;
  // A live feed adds symbols between ticks: their salts are made on first use.
  while (symbol_salt_.size() <= symbol)
    symbol_salt_.push_back(indicator_salt(store_.symbol(symbol_salt_.size())));
  if (r.timeframe >= VYX_TIMEFRAME_COUNT || (timeframes_ & (1u << r.timeframe)) == 0)
    return VYX_ERR_NO_TIMEFRAME;
  if (r.param_count > VYX_INDICATOR_MAX_PARAMS) return VYX_ERR_INVALID_ARGUMENT;

  if (go_indicator_cache::serves(r.indicator)) {
    if (r.struct_size < sizeof(vyx_indicator_request)) return VYX_ERR_INVALID_ARGUMENT;
    // Shared only within one symbol's visit (begin_symbol()), when the store
    // cannot change; outside one the plugin computes its own.
    if (!share_go_ || symbol != memo_symbol_) return VYX_ERR_UNSUPPORTED;
    if (go_.serve_known(symbol, r, out)) return VYX_OK;
    return go_.serve(symbol, store_.view(symbol, r.timeframe), r, out);
  }

  key k{};
  k.symbol = static_cast<std::uint32_t>(symbol);
  k.timeframe = r.timeframe;
  k.indicator = r.indicator;
  k.param_count = r.param_count;
  for (std::uint32_t i = 0; i < r.param_count; ++i) k.params[i] = r.params[i];

  const bool memo_on = symbol == memo_symbol_;
  if (memo_on)
    for (std::size_t i = 0; i < memo_size_; ++i)
      if (memo_[i].k == k) return answer(*memo_[i].e, memo_[i].length, out);

  const vyx_candles v = store_.view(symbol, r.timeframe);
  if (v.count == 0) return VYX_ERR_NOT_ENOUGH_DATA;

  auto it = entries_.find(k);
  if (it == entries_.end()) {
    const ta::indicator_info* info = catalog_entry_for(r.indicator);
    if (info == nullptr) return VYX_ERR_UNSUPPORTED;
    if (info->outputs.size() > VYX_INDICATOR_MAX_OUTPUTS || r.param_count > info->options.size())
      return VYX_ERR_INVALID_ARGUMENT;
    // Missing trailing parameters take the catalog's defaults.
    double options[VYX_INDICATOR_MAX_PARAMS + 4];
    ta::default_options(*info, options);
    for (std::uint32_t i = 0; i < r.param_count; ++i) options[i] = r.params[i];
    if (info->validate(options) != ta::status::ok) return VYX_ERR_INVALID_ARGUMENT;
    if (entries_.size() >= max_entries_) return VYX_ERR_CAPACITY;
    auto e = std::make_unique<entry>();
    e->info = info;
    e->stream = info->make_stream(options);
    if (!e->stream) return VYX_ERR_INVALID_ARGUMENT;
    e->outputs = info->outputs.size();
    e->capacity = store_.capacity();
    e->span = e->capacity + std::max<std::uint32_t>(8, e->capacity / 8);
    e->first_start = static_cast<std::uint32_t>(key_hash{}(k) % (e->span - e->capacity));
    e->values.assign(e->outputs * e->span, nan_value);
    const std::size_t anchor = indicator_anchor(v, store_.capacity(), symbol_salt_[symbol]);
    rebuild(*e, v, anchor);
    it = entries_.emplace(k, std::move(e)).first;
  } else {
    entry& e = *it->second;
    const std::size_t n = v.count;
    const std::size_t anchor = indicator_anchor(v, store_.capacity(), symbol_salt_[symbol]);
    if (e.last_time != v.open_time[n - 1] || v.open_time[anchor] != e.anchor_time) {
      // Find the newest candle already pushed; a few new ones are the normal case.
      std::size_t known = n;
      for (std::size_t back = 1; back <= 8 && back < n; ++back)
        if (v.open_time[n - 1 - back] == e.last_time) {
          known = n - 1 - back;
          break;
        }
      if (known == n || v.open_time[anchor] != e.anchor_time) {
        rebuild(e, v, anchor);
      } else {
        for (std::size_t i = known + 1; i < n; ++i) push(e, v, i, i < anchor);
      }
    }
  }

  entry& e = *it->second;
  if (e.count < v.count)
    return VYX_ERR_INTERNAL;  // cannot happen: a rebuild writes the whole window
  if (memo_on && memo_size_ < memo_capacity) memo_[memo_size_++] = {k, &e, v.count};
  return answer(e, v.count, out);
}

vyx_status indicator_cache::answer(const entry& e, std::uint64_t n, vyx_indicator_result* out) {
  out->output_count = static_cast<std::uint32_t>(e.outputs);
  out->length = n;
  const std::size_t first = e.start + e.count - n;
  for (std::size_t k = 0; k < VYX_INDICATOR_MAX_OUTPUTS; ++k)
    out->outputs[k] = k < e.outputs ? e.values.data() + k * e.span + first : nullptr;
  return VYX_OK;
}

void indicator_cache::begin_symbol(std::size_t symbol) {
  begin_symbol(symbol, 0, 0);
}

void indicator_cache::begin_symbol(std::size_t symbol, std::int64_t now_ms, std::size_t visit_end) {
  memo_symbol_ = symbol;
  memo_size_ = 0;
  go_.begin_visit(symbol, now_ms, visit_end);
}

}  // namespace vyx::runtime
