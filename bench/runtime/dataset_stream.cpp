// pread-based reader of the peers' dataset (see dataset_stream.hpp). Layout:
// "TRDPERF1", u32 S, B, T, F (10), u64 seed, T names of 8 bytes, S names of 16
// bytes, then S x T x B bars of 10 eight-byte fields (open time, close time,
// open, high, low, close, volume, taker-buy base volume, quote volume, trades).
#include "dataset_stream.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::bench {
namespace {

constexpr std::size_t field_count = 10;
constexpr std::size_t bar_bytes = field_count * 8;

void pread_all(int fd, void* p, std::size_t n, std::uint64_t at) {
  auto* bytes = static_cast<char*>(p);
  while (n > 0) {
    const ssize_t k = ::pread(fd, bytes, n, static_cast<off_t>(at));
    if (k <= 0) throw std::runtime_error("dataset: short read");
    bytes += k;
    at += static_cast<std::uint64_t>(k);
    n -= static_cast<std::size_t>(k);
  }
}

runtime::candle decode(const std::int64_t* f) {
  auto dbl = [&](int i) {
    double x;
    std::memcpy(&x, &f[i], 8);
    return x;
  };
  runtime::candle c;
  c.open_time = f[0];
  c.close_time = f[1];
  c.open = dbl(2);
  c.high = dbl(3);
  c.low = dbl(4);
  c.close = dbl(5);
  c.volume = dbl(6);
  c.taker_buy_base_volume = dbl(7);
  c.quote_volume = dbl(8);
  c.trades = f[9];
  return c;
}

}  // namespace

dataset_stream::dataset_stream(const std::string& path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw std::runtime_error("cannot open " + path);
  char magic[8];
  std::uint32_t hdr[4];
  pread_all(fd_, magic, 8, 0);
  pread_all(fd_, hdr, sizeof hdr, 8);
  if (std::memcmp(magic, "TRDPERF1", 8) != 0 || hdr[3] != field_count)
    throw std::runtime_error("bad dataset " + path);
  const std::uint32_t symbol_count = hdr[0], timeframe_count = hdr[2];
  bars_ = hdr[1];
  std::uint64_t at = 8 + sizeof hdr + 8;  // after the seed
  for (std::uint32_t t = 0; t < timeframe_count; ++t, at += 8) {
    char name[9] = {};
    pread_all(fd_, name, 8, at);
    auto tf = runtime::parse_timeframe(name);
    if (!tf) throw std::runtime_error("dataset: unknown timeframe " + std::string(name));
    timeframes_.push_back(*tf);
  }
  for (std::uint32_t s = 0; s < symbol_count; ++s, at += 16) {
    char name[16];
    pread_all(fd_, name, 16, at);
    names_.emplace_back(name, strnlen(name, 16));
  }
  data_offset_ = at;
}

dataset_stream::~dataset_stream() {
  if (fd_ >= 0) ::close(fd_);
}

vyx_timeframe_mask dataset_stream::timeframe_mask() const {
  vyx_timeframe_mask m = 0;
  for (vyx_timeframe tf : timeframes_) m |= 1u << tf;
  return m;
}

void dataset_stream::read(std::size_t symbol, std::size_t t, std::size_t from, std::size_t count,
                          std::vector<runtime::candle>& out) const {
  std::vector<std::int64_t> raw(count * field_count);
  const std::uint64_t series = (symbol * timeframes_.size() + t) * bars_;
  pread_all(fd_, raw.data(), count * bar_bytes, data_offset_ + (series + from) * bar_bytes);
  out.clear();
  for (std::size_t i = 0; i < count; ++i) out.push_back(decode(raw.data() + i * field_count));
}

void dataset_stream::read_bar(std::size_t b, std::vector<runtime::candle>& out) const {
  out.clear();
  std::int64_t f[field_count];
  for (std::size_t s = 0; s < symbols(); ++s)
    for (std::size_t t = 0; t < timeframes(); ++t) {
      pread_all(fd_, f, bar_bytes, data_offset_ + ((s * timeframes() + t) * bars_ + b) * bar_bytes);
      out.push_back(decode(f));
    }
}

std::int64_t dataset_stream::close_time(std::size_t b) const {
  std::int64_t f[field_count];
  pread_all(fd_, f, bar_bytes, data_offset_ + b * bar_bytes);
  return f[1];
}

void append_bars(runtime::candle_store& store, const dataset_stream& data, std::size_t from,
                 std::size_t to) {
  std::vector<runtime::candle> chunk;
  for (std::size_t s = 0; s < data.symbols(); ++s)
    for (std::size_t t = 0; t < data.timeframes(); ++t) {
      data.read(s, t, from, to - from, chunk);
      for (const auto& c : chunk) store.append(s, data.timeframe(t), c);
    }
}

}  // namespace vyx::bench
