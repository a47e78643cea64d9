// Decodes the peers' "TRDPERF1" file (layout in their go/src/perfbench/dataset/dataset.go):
// a fixed header, timeframe and symbol names, then S x T x B bars of 10 little-endian 8-byte
// fields.
#include "peer_dataset.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <fstream>

namespace vyx::bench::peers {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the peers' dataset is little-endian; add byte swapping");

constexpr char magic[8] = {'T', 'R', 'D', 'P', 'E', 'R', 'F', '1'};
constexpr std::size_t header_bytes = 8 + 4 * 4 + 8;  // magic, S B T F, seed
constexpr std::size_t timeframe_name_bytes = 8;
constexpr std::size_t symbol_name_bytes = 16;
constexpr std::uint32_t fields_per_bar = 10;
constexpr std::size_t bar_bytes = fields_per_bar * 8;

// Byte offset of each field inside one bar.
struct field {
  static constexpr std::size_t open_time = 0, close_time = 8, open = 16, high = 24, low = 32,
                               close = 40, volume = 48, buy_volume = 56, quote_volume = 64,
                               trades = 72;
};

template <typename T>
T load(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

std::string padded_name(const char* p, std::size_t n) {
  return std::string(p, std::find(p, p + n, '\0'));
}

// a * b * ..., or nullopt when it does not fit: a corrupt header must not
// turn into a huge allocation.
std::optional<std::uint64_t> checked_product(std::initializer_list<std::uint64_t> factors) {
  std::uint64_t r = 1;
  for (auto f : factors)
    if (__builtin_mul_overflow(r, f, &r)) return std::nullopt;
  return r;
}

}  // namespace

std::optional<std::size_t> peer_dataset::timeframe_index(std::string_view name) const {
  auto it = std::find(timeframes.begin(), timeframes.end(), name);
  if (it == timeframes.end()) return std::nullopt;
  return static_cast<std::size_t>(it - timeframes.begin());
}

std::optional<std::size_t> peer_dataset::symbol_index(std::string_view name) const {
  auto it = std::find(symbols.begin(), symbols.end(), name);
  if (it == symbols.end()) return std::nullopt;
  return static_cast<std::size_t>(it - symbols.begin());
}

std::optional<peer_dataset> read_peer_dataset(const std::filesystem::path& path,
                                              std::string& error) {
  const std::string where = path.string() + ": ";
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = where + "cannot open";
    return std::nullopt;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    error = where + "read error";
    return std::nullopt;
  }
  if (bytes.size() < header_bytes || std::memcmp(bytes.data(), magic, sizeof magic) != 0) {
    error = where + "not a peers dataset (magic TRDPERF1 missing)";
    return std::nullopt;
  }
  const char* p = bytes.data() + sizeof magic;
  const auto symbols = load<std::uint32_t>(p);
  const auto bars = load<std::uint32_t>(p + 4);
  const auto timeframes = load<std::uint32_t>(p + 8);
  const auto fields = load<std::uint32_t>(p + 12);
  if (fields != fields_per_bar) {
    error = where + "expected " + std::to_string(fields_per_bar) + " fields per bar, got " +
            std::to_string(fields);
    return std::nullopt;
  }
  const auto names = checked_product({timeframes, timeframe_name_bytes});
  const auto symbol_names = checked_product({symbols, symbol_name_bytes});
  const auto body = checked_product({symbols, timeframes, bars, bar_bytes});
  if (!names || !symbol_names || !body ||
      header_bytes + *names + *symbol_names + *body != bytes.size()) {
    error = where + "size " + std::to_string(bytes.size()) + " does not match its header (" +
            std::to_string(symbols) + " symbols x " + std::to_string(timeframes) +
            " timeframes x " + std::to_string(bars) + " bars)";
    return std::nullopt;
  }

  peer_dataset data;
  data.seed = load<std::uint64_t>(p + 16);
  data.bars = bars;
  p = bytes.data() + header_bytes;
  for (std::uint32_t t = 0; t < timeframes; ++t, p += timeframe_name_bytes)
    data.timeframes.push_back(padded_name(p, timeframe_name_bytes));
  for (std::uint32_t s = 0; s < symbols; ++s, p += symbol_name_bytes)
    data.symbols.push_back(padded_name(p, symbol_name_bytes));

  data.candles.resize(symbols);
  for (auto& per_symbol : data.candles) {
    per_symbol.resize(timeframes);
    for (auto& c : per_symbol) {
      for (auto* column : {&c.open_time, &c.close_time, &c.trades}) column->resize(bars);
      for (auto* column : {&c.open, &c.high, &c.low, &c.close, &c.volume, &c.quote_volume,
                           &c.taker_buy_base_volume})
        column->resize(bars);
      for (std::size_t b = 0; b < bars; ++b, p += bar_bytes) {
        c.open_time[b] = load<std::int64_t>(p + field::open_time);
        c.close_time[b] = load<std::int64_t>(p + field::close_time);
        c.open[b] = load<double>(p + field::open);
        c.high[b] = load<double>(p + field::high);
        c.low[b] = load<double>(p + field::low);
        c.close[b] = load<double>(p + field::close);
        c.volume[b] = load<double>(p + field::volume);
        c.taker_buy_base_volume[b] = load<double>(p + field::buy_volume);
        c.quote_volume[b] = load<double>(p + field::quote_volume);
        c.trades[b] = load<std::int64_t>(p + field::trades);
      }
    }
  }
  return data;
}

}  // namespace vyx::bench::peers
