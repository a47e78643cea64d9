// Deterministic sample market for demos and tests: N symbols of 1m candles
// (a seeded random walk with volatility regimes), and 5m/15m/1h candles
// aggregated from exactly those 1m candles, written as Binance kline CSV in
// the replay layout DATA/<SYMBOL>/<tf>.csv.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace {

struct bar {
  std::int64_t open_time;
  std::int64_t open, high, low, close;  // in ticks of the symbol's price step
  std::int64_t volume;                  // in 1e-3 base units
  std::int64_t trades;
  std::int64_t taker_buy;  // in 1e-3 base units
};

constexpr std::int64_t minute_ms = 60'000;
constexpr const char* bases[] = {"BTC", "ETH",  "BNB",   "SOL",  "XRP",  "ADA",  "DOGE", "AVAX",
                                 "DOT", "LINK", "MATIC", "TRX",  "LTC",  "ATOM", "NEAR", "UNI",
                                 "APT", "ARB",  "OP",    "FIL",  "ICP",  "ETC",  "XLM",  "HBAR",
                                 "INJ", "SUI",  "SEI",   "TIA",  "RNDR", "AAVE", "MKR",  "GRT",
                                 "IMX", "STX",  "ALGO",  "EGLD", "SAND", "MANA", "AXS",  "FTM"};

// The standard normal from the engine's raw output (std::normal_distribution
// differs between standard libraries; the engine's sequence does not).
double normal(std::mt19937_64& rng) {
  double u1 = (static_cast<double>(rng() >> 11) + 0.5) * 0x1.0p-53;
  double u2 = (static_cast<double>(rng() >> 11) + 0.5) * 0x1.0p-53;
  return std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}
double uniform(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

std::vector<bar> one_minute_bars(std::uint64_t seed, std::size_t symbol, std::int64_t start,
                                 std::size_t count, double start_price, double step) {
  std::mt19937_64 rng(seed * 1'000'003 + symbol);
  std::vector<bar> bars;
  bars.reserve(count);
  double price = start_price, vol = 0.0015, drift = 0;
  std::int64_t last_close = std::llround(price / step);
  for (std::size_t i = 0; i < count; ++i) {
    if (i % 240 == 0) {  // a new regime every 4 hours
      vol = 0.0006 + 0.0025 * uniform(rng);
      drift = (uniform(rng) - 0.5) * 0.0004;
    }
    double move = drift + vol * normal(rng) + (uniform(rng) < 0.002 ? 6 * vol * normal(rng) : 0);
    price = std::max(price * std::exp(move), step * 10);
    bar b{};
    b.open_time = start + static_cast<std::int64_t>(i) * minute_ms;
    b.open = last_close;
    b.close = std::max<std::int64_t>(std::llround(price / step), 1);
    double wick = std::abs(normal(rng)) * vol * 0.6;
    b.high = std::max(b.open, b.close) + std::llround(price * wick / step);
    b.low = std::max<std::int64_t>(
        std::min(b.open, b.close) - std::llround(price * wick * uniform(rng) / step), 1);
    b.volume = std::llround((50 + 400 * std::abs(move) / vol + 30 * uniform(rng)) * 1000 /
                            std::max(1.0, price / 1000));
    b.trades = 5 + b.volume % 997;
    b.taker_buy =
        static_cast<std::int64_t>(static_cast<double>(b.volume) * (0.3 + 0.4 * uniform(rng)));
    last_close = b.close;
    bars.push_back(b);
  }
  return bars;
}

// Aggregates `per` consecutive 1m bars starting on a boundary of the longer interval.
std::vector<bar> aggregate(const std::vector<bar>& minutes, std::size_t per) {
  std::vector<bar> out;
  for (std::size_t i = 0; i + per <= minutes.size(); i += per) {
    bar b = minutes[i];
    for (std::size_t k = i + 1; k < i + per; ++k) {
      b.high = std::max(b.high, minutes[k].high);
      b.low = std::min(b.low, minutes[k].low);
      b.close = minutes[k].close;
      b.volume += minutes[k].volume;
      b.trades += minutes[k].trades;
      b.taker_buy += minutes[k].taker_buy;
    }
    out.push_back(b);
  }
  return out;
}

bool write_csv(const std::filesystem::path& file, const std::vector<bar>& bars,
               std::int64_t interval_ms, double step, int decimals) {
  std::FILE* out = std::fopen(file.c_str(), "w");
  if (!out) return false;
  std::fputs(
      "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,"
      "taker_buy_quote_volume,ignore\n",
      out);
  for (const auto& b : bars) {
    double close = static_cast<double>(b.close) * step,
           volume = static_cast<double>(b.volume) / 1000;
    double taker = static_cast<double>(b.taker_buy) / 1000;
    std::fprintf(out, "%lld,%.*f,%.*f,%.*f,%.*f,%.3f,%lld,%.4f,%lld,%.3f,%.4f,0\n",
                 static_cast<long long>(b.open_time), decimals, static_cast<double>(b.open) * step,
                 decimals, static_cast<double>(b.high) * step, decimals,
                 static_cast<double>(b.low) * step, decimals, close, volume,
                 static_cast<long long>(b.open_time + interval_ms - 1), volume * close,
                 static_cast<long long>(b.trades), taker, taker * close);
  }
  return std::fclose(out) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string out_dir;
  std::size_t symbols = 120, days = 3;
  std::uint64_t seed = 20240301;
  std::int64_t start = 1'709'251'200'000;  // 2024-03-01T00:00:00Z
  for (int i = 1; i < argc; ++i) {
    auto value = [&](const char* name) -> const char* {
      if (std::strcmp(argv[i], name) != 0 || i + 1 >= argc) return nullptr;
      return argv[++i];
    };
    if (const char* v = value("--out"))
      out_dir = v;
    else if (const char* v = value("--symbols"))
      symbols = std::strtoull(v, nullptr, 10);
    else if (const char* v = value("--days"))
      days = std::strtoull(v, nullptr, 10);
    else if (const char* v = value("--seed"))
      seed = std::strtoull(v, nullptr, 10);
    else if (const char* v = value("--start-ms"))
      start = std::strtoll(v, nullptr, 10);
    else {
      std::fprintf(stderr,
                   "usage: %s --out DIR [--symbols 120] [--days 3] [--seed 20240301] [--start-ms "
                   "1709251200000]\n"
                   "writes DIR/<SYMBOL>/{1m,5m,15m,1h}.csv (Binance kline columns) aggregated from "
                   "the 1m bars\n",
                   argv[0]);
      return 2;
    }
  }
  if (out_dir.empty() || symbols == 0 || days == 0) {
    std::fprintf(stderr, "%s: --out DIR is required (and --symbols/--days must be positive)\n",
                 argv[0]);
    return 2;
  }
  start = start / (60 * minute_ms) * (60 * minute_ms);  // hours aggregate from an hour boundary
  const std::size_t minutes = days * 24 * 60;
  std::mt19937_64 prices(seed);
  for (std::size_t s = 0; s < symbols; ++s) {
    std::size_t named = sizeof bases / sizeof bases[0];
    char name[32];
    if (s < named)
      std::snprintf(name, sizeof name, "%sUSDT", bases[s]);
    else
      std::snprintf(name, sizeof name, "ALT%03zuUSDT", s);
    // Prices from 0.01 to 60000, each with a step giving ~5 significant digits.
    double start_price =
        std::exp(std::log(0.01) + uniform(prices) * (std::log(60000.0) - std::log(0.01)));
    int decimals = std::clamp(4 - static_cast<int>(std::floor(std::log10(start_price))), 0, 8);
    double step = std::pow(10.0, -decimals);
    auto m1 = one_minute_bars(seed, s, start, minutes, start_price, step);
    auto dir = std::filesystem::path(out_dir) / name;
    std::filesystem::create_directories(dir);
    if (!write_csv(dir / "1m.csv", m1, minute_ms, step, decimals) ||
        !write_csv(dir / "5m.csv", aggregate(m1, 5), 5 * minute_ms, step, decimals) ||
        !write_csv(dir / "15m.csv", aggregate(m1, 15), 15 * minute_ms, step, decimals) ||
        !write_csv(dir / "1h.csv", aggregate(m1, 60), 60 * minute_ms, step, decimals)) {
      std::fprintf(stderr, "%s: cannot write %s\n", argv[0], dir.c_str());
      return 1;
    }
  }
  std::printf("wrote %zu symbols x %zu days (1m %zu, 5m %zu, 15m %zu, 1h %zu bars each) to %s\n",
              symbols, days, minutes, minutes / 5, minutes / 15, minutes / 60, out_dir.c_str());
  return 0;
}
