// The shared-memory candle store: one memfd holding a header, the symbol
// table, the tickers and a columnar window per (symbol, timeframe).
#include "vyx/runtime/market/candle_store.hpp"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <stdexcept>
#include <system_error>

namespace vyx::runtime {
namespace {

constexpr std::uint64_t store_magic = 0x31534C4443585956ull;  // "VYXCDLS1" little-endian
// 3: the ring header gained has_forming (the forming candle at index count).
// 4: symbol slots reserved past the symbols in use (symbol_capacity).
constexpr std::uint32_t store_version = 4;
constexpr std::size_t symbol_slot = 32;  // bytes per symbol name, NUL included
constexpr std::size_t cache_line = 64;
constexpr std::uint32_t no_slot = std::numeric_limits<std::uint32_t>::max();
constexpr std::size_t column_count = 10;

// Column order inside a ring; every column is span = capacity + slack 8-byte values.
enum column : std::size_t {
  col_open_time,
  col_close_time,
  col_open,
  col_high,
  col_low,
  col_close,
  col_volume,
  col_quote_volume,
  col_taker_buy_base,
  col_trades
};

struct store_header {
  std::uint64_t magic;
  std::uint32_t version;
  std::uint32_t header_size;
  std::uint64_t total_size;
  std::uint32_t symbol_count;     // in use; grows between ticks (add_symbol)
  std::uint32_t symbol_capacity;  // slots laid out
  std::uint32_t capacity;
  vyx_timeframe_mask timeframes;
  std::uint32_t ring_per_symbol;                 // popcount(timeframes)
  std::uint32_t span;                            // values per column: capacity + slack
  std::uint32_t ring_slot[VYX_TIMEFRAME_COUNT];  // timeframe -> slot, no_slot if absent
  std::uint64_t symbols_offset;
  std::uint64_t tickers_offset;
  std::uint64_t rings_offset;
  std::uint64_t ring_stride;  // bytes per ring, cache-line aligned
};

// Each ring opens with its state: the closed candles are [start, start + count)
// of every column, and when has_forming is 1 the forming candle follows them
// at start + count (the ABI's layout: a view's columns then hold count + 1
// values). Appends go at the end; when the end reaches the span, the newest
// capacity - 1 values move back to the front (once per `slack` appends). A
// mirrored ring (every value written twice) would avoid the move but doubles
// the store's resident memory, its biggest part.
struct ring_header {
  std::uint64_t count;
  std::uint64_t start;
  std::uint64_t has_forming;
  // Changes of the closed candles (appends, and a reuse of the slot), never
  // reset: candle_store::closed_version.
  std::uint64_t closed_version;
};
static_assert(sizeof(ring_header) <= 64, "the ring header fits its cache line");

// Room past the capacity: one compaction per `slack` appends, each moving
// capacity values per column; 1/8 keeps the memory overhead at 12.5%.
constexpr std::uint32_t slack_for(std::uint32_t capacity) {
  return std::max<std::uint32_t>(8, capacity / 8);
}

constexpr std::size_t align_up(std::size_t n, std::size_t a) {
  return (n + a - 1) / a * a;
}

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

void check_symbol_name(std::string_view s) {
  if (s.empty() || s.size() >= symbol_slot || s.find('\0') != std::string_view::npos)
    throw std::invalid_argument("candle_store: bad symbol name '" + std::string(s) + "' (1-31 bytes)");
}

}  // namespace

struct candle_store::mapping {
  void* base = nullptr;
  std::size_t size = 0;
  int fd = -1;
  bool owns_fd = false;
  store_header* header = nullptr;

  ~mapping() {
    if (base != nullptr) munmap(base, size);
    if (owns_fd && fd >= 0) close(fd);
  }

  std::byte* bytes() const { return static_cast<std::byte*>(base); }

  std::byte* ring(std::size_t symbol_index, vyx_timeframe timeframe) const {
    if (symbol_index >= header->symbol_count || timeframe >= VYX_TIMEFRAME_COUNT) return nullptr;
    std::uint32_t slot = header->ring_slot[timeframe];
    if (slot == no_slot) return nullptr;
    std::size_t index = symbol_index * header->ring_per_symbol + slot;
    return bytes() + header->rings_offset + index * header->ring_stride;
  }

  template <typename T>
  T* column_of(std::byte* ring_base, column c) const {
    std::size_t column_bytes = std::size_t{header->span} * 8;
    return reinterpret_cast<T*>(ring_base + cache_line + c * column_bytes);
  }

  void write_row(std::byte* ring_base, std::uint64_t at, const candle& c) const {
    column_of<std::int64_t>(ring_base, col_open_time)[at] = c.open_time;
    column_of<std::int64_t>(ring_base, col_close_time)[at] = c.close_time;
    column_of<double>(ring_base, col_open)[at] = c.open;
    column_of<double>(ring_base, col_high)[at] = c.high;
    column_of<double>(ring_base, col_low)[at] = c.low;
    column_of<double>(ring_base, col_close)[at] = c.close;
    column_of<double>(ring_base, col_volume)[at] = c.volume;
    column_of<double>(ring_base, col_quote_volume)[at] = c.quote_volume;
    column_of<double>(ring_base, col_taker_buy_base)[at] = c.taker_buy_base_volume;
    column_of<std::int64_t>(ring_base, col_trades)[at] = c.trades;
  }

  candle read_row(std::byte* ring_base, std::uint64_t at) const {
    candle c;
    c.open_time = column_of<std::int64_t>(ring_base, col_open_time)[at];
    c.close_time = column_of<std::int64_t>(ring_base, col_close_time)[at];
    c.open = column_of<double>(ring_base, col_open)[at];
    c.high = column_of<double>(ring_base, col_high)[at];
    c.low = column_of<double>(ring_base, col_low)[at];
    c.close = column_of<double>(ring_base, col_close)[at];
    c.volume = column_of<double>(ring_base, col_volume)[at];
    c.quote_volume = column_of<double>(ring_base, col_quote_volume)[at];
    c.taker_buy_base_volume = column_of<double>(ring_base, col_taker_buy_base)[at];
    c.trades = column_of<std::int64_t>(ring_base, col_trades)[at];
    return c;
  }

  // An empty ring's first value goes at a ring-dependent offset within the
  // slack, so that rings appended in lockstep (every symbol on every close)
  // do not all move their window on the same tick.
  void place_empty(ring_header& state, std::size_t symbol_index, vyx_timeframe timeframe) const {
    const std::uint64_t room = header->span - header->capacity;
    state.start = ((symbol_index * VYX_TIMEFRAME_COUNT + timeframe) * 40503u) % room;
  }

  // Moves the newest `keep` closed candles to the front of the window
  // (readers only look during a tick; writes happen between ticks).
  void compact(std::byte* ring_base, ring_header& state, std::uint64_t keep) const {
    const std::uint64_t end = state.start + state.count;
    for (std::size_t col = 0; col < column_count; ++col) {
      auto* p = column_of<std::byte>(ring_base, static_cast<column>(col));
      std::memmove(p, p + (end - keep) * 8, keep * 8);
    }
    state.start = 0;
    state.count = keep;
  }
};

candle_store candle_store::create(const candle_store_layout& layout) {
  if (layout.capacity == 0) throw std::invalid_argument("candle_store: capacity must be positive");
  if (layout.timeframes >> VYX_TIMEFRAME_COUNT)
    throw std::invalid_argument("candle_store: unknown timeframe in mask");
  const std::size_t slots = std::max(layout.symbols.size(), layout.symbol_capacity);
  if (slots > std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument("candle_store: too many symbols");
  for (const auto& s : layout.symbols) check_symbol_name(s);

  store_header h{};
  h.magic = store_magic;
  h.version = store_version;
  h.header_size = sizeof(store_header);
  h.symbol_count = static_cast<std::uint32_t>(layout.symbols.size());
  h.symbol_capacity = static_cast<std::uint32_t>(slots);
  h.capacity = layout.capacity;
  h.timeframes = layout.timeframes;
  std::uint32_t slot = 0;
  for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf)
    h.ring_slot[tf] = (layout.timeframes & (1u << tf)) ? slot++ : no_slot;
  h.ring_per_symbol = slot;
  if (layout.capacity > std::numeric_limits<std::uint32_t>::max() - slack_for(layout.capacity))
    throw std::invalid_argument("candle_store: capacity too large");
  h.span = layout.capacity + slack_for(layout.capacity);
  h.symbols_offset = align_up(sizeof(store_header), cache_line);
  h.tickers_offset = align_up(h.symbols_offset + std::size_t{h.symbol_capacity} * symbol_slot, cache_line);
  h.rings_offset =
      align_up(h.tickers_offset + std::size_t{h.symbol_capacity} * sizeof(vyx_ticker), cache_line);
  h.ring_stride = align_up(cache_line + column_count * std::size_t{h.span} * 8, cache_line);
  std::size_t rings = std::size_t{h.symbol_capacity} * h.ring_per_symbol;
  if (rings != 0 &&
      h.ring_stride > (std::numeric_limits<std::size_t>::max() - h.rings_offset) / rings)
    throw std::invalid_argument("candle_store: layout too large");
  h.total_size = std::max<std::size_t>(h.rings_offset + rings * h.ring_stride, cache_line);

  candle_store store;
  store.mapping_ = new mapping();
  auto& m = *store.mapping_;
  m.owns_fd = true;
  m.fd = memfd_create("vyx-candles", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (m.fd < 0) throw_errno("candle_store: memfd_create");
  if (ftruncate(m.fd, static_cast<off_t>(h.total_size)) != 0)
    throw_errno("candle_store: ftruncate");
  // Workers hold the fd too: fix its size so nobody can shrink it under a mapping.
  if (fcntl(m.fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0)
    throw_errno("candle_store: seal");
  m.size = h.total_size;
  m.base = mmap(nullptr, m.size, PROT_READ | PROT_WRITE, MAP_SHARED, m.fd, 0);
  if (m.base == MAP_FAILED) {
    m.base = nullptr;
    throw_errno("candle_store: mmap");
  }
  // A fresh memfd reads as zeros: rings start empty without touching their pages.
  std::memcpy(m.base, &h, sizeof h);
  m.header = static_cast<store_header*>(m.base);
  for (std::size_t i = 0; i < layout.symbols.size(); ++i)
    std::memcpy(m.bytes() + h.symbols_offset + i * symbol_slot, layout.symbols[i].data(),
                layout.symbols[i].size());
  auto* tickers = reinterpret_cast<vyx_ticker*>(m.bytes() + h.tickers_offset);
  for (std::size_t i = 0; i < h.symbol_capacity; ++i) {
    double nan = std::numeric_limits<double>::quiet_NaN();
    tickers[i] = vyx_ticker{sizeof(vyx_ticker), 0, nan, nan, nan};
  }
  return store;
}

candle_store candle_store::attach_read_only(int fd) {
  struct stat st {};
  if (fstat(fd, &st) != 0) throw_errno("candle_store: fstat");
  if (st.st_size < static_cast<off_t>(sizeof(store_header)))
    throw std::runtime_error("candle_store: region too small to be a candle store");
  candle_store store;
  store.mapping_ = new mapping();
  auto& m = *store.mapping_;
  m.fd = fd;
  m.size = static_cast<std::size_t>(st.st_size);
  m.base = mmap(nullptr, m.size, PROT_READ, MAP_SHARED, fd, 0);
  if (m.base == MAP_FAILED) {
    m.base = nullptr;
    throw_errno("candle_store: mmap read-only");
  }
  m.header = static_cast<store_header*>(m.base);
  const auto& h = *m.header;
  if (h.magic != store_magic)
    throw std::runtime_error("candle_store: bad magic (not a candle store)");
  if (h.version != store_version || h.header_size != sizeof(store_header))
    throw std::runtime_error("candle_store: version " + std::to_string(h.version) +
                             " found, this build reads version " + std::to_string(store_version));
  if (h.total_size != m.size)
    throw std::runtime_error("candle_store: size in header does not match the region");
  if (h.symbol_count > h.symbol_capacity)
    throw std::runtime_error("candle_store: more symbols than slots in the header");
  return store;
}

candle_store::candle_store(candle_store&& other) noexcept : mapping_(other.mapping_) {
  other.mapping_ = nullptr;
}

candle_store& candle_store::operator=(candle_store&& other) noexcept {
  if (this != &other) {
    delete mapping_;
    mapping_ = other.mapping_;
    other.mapping_ = nullptr;
  }
  return *this;
}

candle_store::~candle_store() {
  delete mapping_;
}

int candle_store::fd() const {
  return mapping_->fd;
}
std::size_t candle_store::symbol_count() const {
  return mapping_->header->symbol_count;
}

const char* candle_store::symbol_c_str(std::size_t index) const {
  if (index >= symbol_count()) return nullptr;
  return reinterpret_cast<const char*>(mapping_->bytes() + mapping_->header->symbols_offset +
                                       index * symbol_slot);
}

std::string_view candle_store::symbol(std::size_t index) const {
  const char* s = symbol_c_str(index);
  return s == nullptr ? std::string_view{} : std::string_view(s, strnlen(s, symbol_slot));
}

std::optional<std::size_t> candle_store::find_symbol(std::string_view name) const {
  for (std::size_t i = 0; i < symbol_count(); ++i)
    if (symbol(i) == name) return i;
  return std::nullopt;
}

std::size_t candle_store::symbol_capacity() const {
  return mapping_->header->symbol_capacity;
}

std::size_t candle_store::add_symbol(std::string_view name) {
  check_symbol_name(name);
  store_header& h = *mapping_->header;
  if (h.symbol_count >= h.symbol_capacity)
    throw std::length_error("candle_store: no free symbol slot for '" + std::string(name) + "' (" +
                            std::to_string(h.symbol_capacity) + " laid out)");
  const std::size_t index = h.symbol_count;
  // The slot was never written (a fresh memfd reads as zeros): the name is
  // NUL-terminated by the zeros after it, its rings are empty, its ticker NaN.
  std::memcpy(mapping_->bytes() + h.symbols_offset + index * symbol_slot, name.data(), name.size());
  h.symbol_count = static_cast<std::uint32_t>(index + 1);
  return index;
}

void candle_store::reuse_symbol(std::size_t index, std::string_view name) {
  check_symbol_name(name);
  store_header& h = *mapping_->header;
  if (index >= h.symbol_count)
    throw std::out_of_range("candle_store::reuse_symbol: slot " + std::to_string(index) + " is not in use");
  char* slot = reinterpret_cast<char*>(mapping_->bytes() + h.symbols_offset + index * symbol_slot);
  std::memset(slot, 0, symbol_slot);
  std::memcpy(slot, name.data(), name.size());
  for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf)
    if (std::byte* ring = mapping_->ring(index, tf)) {
      auto& state = *reinterpret_cast<ring_header*>(ring);
      state = ring_header{.count = 0, .start = 0, .has_forming = 0,
                          .closed_version = state.closed_version + 1};
    }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  reinterpret_cast<vyx_ticker*>(mapping_->bytes() + h.tickers_offset)[index] =
      vyx_ticker{sizeof(vyx_ticker), 0, nan, nan, nan};
}

std::uint32_t candle_store::capacity() const {
  return mapping_->header->capacity;
}
vyx_timeframe_mask candle_store::timeframes() const {
  return mapping_->header->timeframes;
}

void candle_store::append(std::size_t symbol_index, vyx_timeframe timeframe, const candle& c) {
  std::byte* ring = mapping_->ring(symbol_index, timeframe);
  if (ring == nullptr)
    throw std::out_of_range("candle_store::append: no ring for this symbol/timeframe");
  auto* state = reinterpret_cast<ring_header*>(ring);
  const std::uint64_t cap = mapping_->header->capacity;
  const std::uint64_t span = mapping_->header->span;
  // The closed row takes the forming candle's slot. The forming candle of the
  // same period (or an older one) is done; a newer one is put back after it.
  std::optional<candle> later_forming;
  if (state->has_forming != 0) {
    candle f = mapping_->read_row(ring, state->start + state->count);
    if (f.open_time > c.open_time) later_forming = f;
    state->has_forming = 0;
  } else if (state->count == 0) {
    mapping_->place_empty(*state, symbol_index, timeframe);
  }
  if (state->start + state->count == span)
    mapping_->compact(ring, *state, std::min<std::uint64_t>(state->count, cap - 1));
  mapping_->write_row(ring, state->start + state->count, c);
  ++state->closed_version;
  if (state->count < cap)
    ++state->count;
  else
    ++state->start;
  if (later_forming) set_forming(symbol_index, timeframe, *later_forming);
}

void candle_store::set_forming(std::size_t symbol_index, vyx_timeframe timeframe,
                               const candle& c) {
  std::byte* ring = mapping_->ring(symbol_index, timeframe);
  if (ring == nullptr)
    throw std::out_of_range("candle_store::set_forming: no ring for this symbol/timeframe");
  auto* state = reinterpret_cast<ring_header*>(ring);
  if (state->count > 0) {
    const auto* open_time = mapping_->column_of<const std::int64_t>(ring, col_open_time);
    if (c.open_time <= open_time[state->start + state->count - 1])
      throw std::invalid_argument(
          "candle_store::set_forming: the forming candle must open after the newest closed one");
  } else if (state->has_forming == 0) {
    mapping_->place_empty(*state, symbol_index, timeframe);
  }
  // The forming slot is one past the closed candles: make room if the window ends there.
  if (state->start + state->count == mapping_->header->span)
    mapping_->compact(ring, *state, state->count);
  mapping_->write_row(ring, state->start + state->count, c);
  state->has_forming = 1;
}

void candle_store::clear_forming(std::size_t symbol_index, vyx_timeframe timeframe) {
  std::byte* ring = mapping_->ring(symbol_index, timeframe);
  if (ring == nullptr)
    throw std::out_of_range("candle_store::clear_forming: no ring for this symbol/timeframe");
  reinterpret_cast<ring_header*>(ring)->has_forming = 0;
}

std::optional<candle> candle_store::forming(std::size_t symbol_index,
                                            vyx_timeframe timeframe) const {
  std::byte* ring = mapping_->ring(symbol_index, timeframe);
  if (ring == nullptr) return std::nullopt;
  const auto* state = reinterpret_cast<const ring_header*>(ring);
  if (state->has_forming == 0) return std::nullopt;
  return mapping_->read_row(ring, state->start + state->count);
}

void candle_store::set_ticker(std::size_t symbol_index, const vyx_ticker& ticker) {
  if (symbol_index >= symbol_count())
    throw std::out_of_range("candle_store::set_ticker: bad symbol");
  auto* tickers =
      reinterpret_cast<vyx_ticker*>(mapping_->bytes() + mapping_->header->tickers_offset);
  tickers[symbol_index] = ticker;
  tickers[symbol_index].struct_size = sizeof(vyx_ticker);
}

vyx_candles candle_store::view(std::size_t symbol_index, vyx_timeframe timeframe) const {
  vyx_candles v{};
  v.struct_size = sizeof(vyx_candles);
  v.timeframe = timeframe;
  std::byte* ring = mapping_->ring(symbol_index, timeframe);
  if (ring == nullptr) return v;
  const auto* state = reinterpret_cast<const ring_header*>(ring);
  const std::uint64_t count = state->count;
  const bool has_forming = state->has_forming != 0;
  if (count == 0 && !has_forming) return v;
  const std::uint64_t start = state->start;
  v.count = count;
  v.has_forming = has_forming ? 1 : 0;
  v.open_time = mapping_->column_of<const std::int64_t>(ring, col_open_time) + start;
  v.close_time = mapping_->column_of<const std::int64_t>(ring, col_close_time) + start;
  v.open = mapping_->column_of<const double>(ring, col_open) + start;
  v.high = mapping_->column_of<const double>(ring, col_high) + start;
  v.low = mapping_->column_of<const double>(ring, col_low) + start;
  v.close = mapping_->column_of<const double>(ring, col_close) + start;
  v.volume = mapping_->column_of<const double>(ring, col_volume) + start;
  v.quote_volume = mapping_->column_of<const double>(ring, col_quote_volume) + start;
  v.taker_buy_base_volume = mapping_->column_of<const double>(ring, col_taker_buy_base) + start;
  v.trades = mapping_->column_of<const std::int64_t>(ring, col_trades) + start;
  return v;
}

std::uint64_t candle_store::closed_version(std::size_t symbol_index,
                                           vyx_timeframe timeframe) const {
  const std::byte* ring = mapping_->ring(symbol_index, timeframe);
  return ring == nullptr ? 0 : reinterpret_cast<const ring_header*>(ring)->closed_version;
}

const vyx_ticker* candle_store::ticker(std::size_t symbol_index) const {
  if (symbol_index >= symbol_count()) return nullptr;
  return reinterpret_cast<const vyx_ticker*>(mapping_->bytes() + mapping_->header->tickers_offset) +
         symbol_index;
}

}  // namespace vyx::runtime
