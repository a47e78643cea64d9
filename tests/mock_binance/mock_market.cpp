// Mock market data: generated random walks, or a replay-layout folder.
#include "mock_market.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::mock {
namespace fs = std::filesystem;
using runtime::timeframe_ms;

std::string decimal(double value) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc{} ? std::string(buffer, end) : std::string("0");
}

std::int64_t mock_market::first_open() const {
  std::int64_t first = 0;
  for (const auto& s : symbols)
    for (const auto& bars : s.bars)
      if (!bars.empty() && (first == 0 || bars.front().open_time < first))
        first = bars.front().open_time;
  return first;
}

std::int64_t mock_market::last_close() const {
  std::int64_t last = 0;
  for (const auto& s : symbols)
    for (const auto& bars : s.bars)
      if (!bars.empty()) last = std::max(last, bars.back().close_time);
  return last;
}

mock_symbol* mock_market::find(const std::string& name) {
  for (auto& s : symbols)
    if (s.name == name) return &s;
  return nullptr;
}

namespace {

void split_name(mock_symbol& s) {
  for (const char* quote : {"USDT", "BTC", "BUSD", "FDUSD", "USDC"}) {
    std::string q = quote;
    if (s.name.size() > q.size() && s.name.compare(s.name.size() - q.size(), q.size(), q) == 0) {
      s.base = s.name.substr(0, s.name.size() - q.size());
      s.quote = q;
      return;
    }
  }
  s.base = s.name;
  s.quote = "";
}

// The coarse candles of `tf` aggregated from 1m candles (complete periods only).
std::vector<candle> aggregate(const std::vector<candle>& minutes, vyx_timeframe tf) {
  std::vector<candle> out;
  const std::int64_t ms = timeframe_ms(tf);
  for (const candle& m : minutes) {
    const std::int64_t open = m.open_time - m.open_time % ms;
    if (out.empty() || out.back().open_time != open) {
      candle c = m;
      c.open_time = open;
      c.close_time = open + ms - 1;
      out.push_back(c);
      continue;
    }
    candle& c = out.back();
    c.high = std::max(c.high, m.high);
    c.low = std::min(c.low, m.low);
    c.close = m.close;
    c.volume += m.volume;
    c.quote_volume += m.quote_volume;
    c.taker_buy_base_volume += m.taker_buy_base_volume;
    c.trades += m.trades;
  }
  if (!out.empty() && minutes.back().close_time != out.back().close_time) out.pop_back();
  return out;
}

}  // namespace

mock_market generate_market(const std::vector<std::string>& symbols, vyx_timeframe_mask timeframes,
                            std::int64_t start_ms, std::size_t minutes, std::uint64_t seed) {
  mock_market market;
  start_ms -= start_ms % 3'600'000;  // whole hours, so every timeframe starts on a boundary
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    mock_symbol s;
    s.name = symbols[i];
    split_name(s);
    std::mt19937_64 rng(seed * 7919 + i);
    std::uniform_real_distribution<double> unit(-1, 1);
    double price = 1 + static_cast<double>(i % 50) * 3.5;
    std::vector<candle> one;
    one.reserve(minutes);
    for (std::size_t m = 0; m < minutes; ++m) {
      candle c;
      c.open_time = start_ms + static_cast<std::int64_t>(m) * 60'000;
      c.close_time = c.open_time + 59'999;
      // Prices on a 1e-4 grid, volumes on 1e-3: exact in decimal, like Binance's.
      c.open = price;
      price = std::max(0.01, std::round((price * (1 + 0.004 * unit(rng))) * 1e4) / 1e4);
      c.close = price;
      c.high = std::round(std::max(c.open, c.close) * (1 + 0.001 * (1 + unit(rng))) * 1e4) / 1e4;
      c.low = std::round(std::min(c.open, c.close) * (1 - 0.001 * (1 + unit(rng))) * 1e4) / 1e4;
      c.low = std::min({c.low, c.open, c.close});
      c.high = std::max({c.high, c.open, c.close});
      c.volume = std::round((100 + 50 * unit(rng)) * 1e3) / 1e3;
      c.quote_volume = std::round(c.volume * c.close * 1e4) / 1e4;
      c.taker_buy_base_volume = std::round(c.volume * 0.5 * 1e3) / 1e3;
      c.trades = 10 + static_cast<std::int64_t>(m % 37);
      one.push_back(c);
    }
    s.quote_volume = 1e6 * static_cast<double>(symbols.size() - i);  // ranked by position
    for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf) {
      if (!(timeframes & (1u << tf))) continue;
      s.bars[tf] = tf == VYX_TF_1M ? one : aggregate(one, tf);
    }
    market.symbols.push_back(std::move(s));
  }
  return market;
}

mock_market load_market(const fs::path& dir) {
  if (!fs::is_directory(dir)) throw std::runtime_error(dir.string() + ": not a folder");
  mock_market market;
  std::vector<fs::path> symbol_dirs;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_directory()) symbol_dirs.push_back(entry.path());
  std::sort(symbol_dirs.begin(), symbol_dirs.end());
  for (const auto& path : symbol_dirs) {
    mock_symbol s;
    s.name = path.filename().string();
    split_name(s);
    for (const auto& file : fs::directory_iterator(path)) {
      auto tf = runtime::parse_timeframe(file.path().stem().string());
      if (!tf || file.path().extension() != ".csv") continue;
      std::ifstream in(file.path());
      std::string line;
      while (std::getline(in, line)) {
        std::istringstream row(line);
        std::string field;
        std::vector<std::string> f;
        while (std::getline(row, field, ',')) f.push_back(field);
        if (f.size() < 7 || f[0].empty() || !std::isdigit(static_cast<unsigned char>(f[0][0])))
          continue;
        candle c;
        c.open_time = std::stoll(f[0]);
        c.open = std::stod(f[1]);
        c.high = std::stod(f[2]);
        c.low = std::stod(f[3]);
        c.close = std::stod(f[4]);
        c.volume = std::stod(f[5]);
        c.close_time = std::stoll(f[6]);
        if (f.size() > 7) c.quote_volume = std::stod(f[7]);
        if (f.size() > 8) c.trades = std::stoll(f[8]);
        if (f.size() > 9) c.taker_buy_base_volume = std::stod(f[9]);
        s.bars[*tf].push_back(c);
      }
    }
    double volume = 0;
    for (const auto& bars : s.bars)
      if (!bars.empty()) {
        for (std::size_t i = bars.size() > 1440 ? bars.size() - 1440 : 0; i < bars.size(); ++i)
          volume += bars[i].quote_volume;
        break;
      }
    s.quote_volume = volume;
    market.symbols.push_back(std::move(s));
  }
  if (market.symbols.empty()) throw std::runtime_error(dir.string() + ": no <SYMBOL>/<tf>.csv");
  return market;
}

void write_market(const mock_market& market, const fs::path& dir) {
  for (const auto& s : market.symbols)
    for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf) {
      if (s.bars[tf].empty()) continue;
      fs::create_directories(dir / s.name);
      std::ofstream out(dir / s.name / (std::string(runtime::timeframe_name(tf)) + ".csv"));
      for (const candle& c : s.bars[tf])
        out << c.open_time << ',' << decimal(c.open) << ',' << decimal(c.high) << ','
            << decimal(c.low) << ',' << decimal(c.close) << ',' << decimal(c.volume) << ','
            << c.close_time << ',' << decimal(c.quote_volume) << ',' << c.trades << ','
            << decimal(c.taker_buy_base_volume) << ",0,0\n";
    }
}

}  // namespace vyx::mock
