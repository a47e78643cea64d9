// Reads the compat dataset (bench/compat's layout) and cuts one evaluation's
// market out of it without copying: views into the full columns.
#include "vyx/runtime/feeds/compat_dataset.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <limits>
#include <stdexcept>

namespace vyx::runtime {
namespace fs = std::filesystem;

namespace {

constexpr const char* timeframe_files[4] = {"1m.csv", "5m.csv", "15m.csv", "1h.csv"};
constexpr vyx_timeframe timeframe_ids[4] = {VYX_TF_1M, VYX_TF_5M, VYX_TF_15M, VYX_TF_1H};

std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t at = 0;
  while (true) {
    const std::size_t comma = line.find(',', at);
    out.push_back(line.substr(at, comma == std::string_view::npos ? comma : comma - at));
    if (comma == std::string_view::npos) return out;
    at = comma + 1;
  }
}

template <class T>
T number(std::string_view text, const std::string& where) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    throw std::runtime_error(where + ": not a number: '" + std::string(text) + "'");
  return value;
}

std::vector<std::string> lines_of(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file.string() + ": cannot read");
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

}  // namespace

std::vector<compat_symbol> load_compat_dataset(const fs::path& dir) {
  std::vector<fs::path> dirs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_directory()) dirs.push_back(entry.path());
  if (ec) throw std::runtime_error(dir.string() + ": cannot list the dataset");
  std::sort(dirs.begin(), dirs.end());
  std::vector<compat_symbol> out;
  for (const fs::path& d : dirs) {
    compat_symbol s;
    s.name = d.filename().string();
    for (int t = 0; t < 4; ++t) {
      const fs::path file = d / timeframe_files[t];
      const std::vector<std::string> lines = lines_of(file);
      compat_columns& c = s.timeframes[t];
      for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string where = file.string() + ":" + std::to_string(i + 1);
        const auto f = split(lines[i]);
        if (f.size() != 12) throw std::runtime_error(where + ": want 12 columns");
        c.open_time.push_back(number<std::int64_t>(f[0], where));
        c.open.push_back(number<double>(f[1], where));
        c.high.push_back(number<double>(f[2], where));
        c.low.push_back(number<double>(f[3], where));
        c.close.push_back(number<double>(f[4], where));
        c.volume.push_back(number<double>(f[5], where));
        c.close_time.push_back(number<std::int64_t>(f[6], where));
        c.quote_volume.push_back(number<double>(f[7], where));
        c.trades.push_back(number<std::int64_t>(f[8], where));
        c.taker_buy.push_back(number<double>(f[9], where));
      }
    }
    const fs::path tickers = d / "ticker.csv";
    const std::vector<std::string> lines = lines_of(tickers);
    for (std::size_t i = 1; i < lines.size(); ++i) {
      const std::string where = tickers.string() + ":" + std::to_string(i + 1);
      const auto f = split(lines[i]);
      if (f.size() != 4 || number<std::size_t>(f[0], where) != i - 1)
        throw std::runtime_error(where + ": want k=" + std::to_string(i - 1) + " and 4 columns");
      vyx_ticker t{};
      t.struct_size = sizeof(vyx_ticker);
      t.last_price = number<double>(f[1], where);
      t.price_change_percent = number<double>(f[2], where);
      t.quote_volume = number<double>(f[3], where);
      s.tickers.push_back(t);
    }
    out.push_back(std::move(s));
  }
  return out;
}

void make_compat_market(const compat_symbol& symbol, std::size_t k, std::size_t window,
                        const vyx_host_api* host, compat_market& out) {
  out = compat_market{};
  std::int64_t now_ms = 0;
  for (int t = 0; t < 4; ++t) {
    const compat_columns& c = symbol.timeframes[t];
    const std::size_t n = c.close.size() > k ? c.close.size() - k : 0;
    const std::size_t from = window > 0 && n > window ? n - window : 0;
    vyx_candles& v = out.candles[t];
    v.struct_size = sizeof(vyx_candles);
    v.timeframe = timeframe_ids[t];
    v.count = n - from;
    v.has_forming = 0;
    v.open_time = c.open_time.data() + from;
    v.close_time = c.close_time.data() + from;
    v.open = c.open.data() + from;
    v.high = c.high.data() + from;
    v.low = c.low.data() + from;
    v.close = c.close.data() + from;
    v.volume = c.volume.data() + from;
    v.quote_volume = c.quote_volume.data() + from;
    v.taker_buy_base_volume = c.taker_buy.data() + from;
    v.trades = c.trades.data() + from;
    if (t == 0 && n > 0) now_ms = c.close_time[n - 1];
    out.market.timeframes[timeframe_ids[t]] = &v;
  }
  out.ticker = symbol.tickers.at(k);
  out.market.struct_size = sizeof(vyx_market);
  // The same window for a Go trader's own cut (market_builder): every
  // candle handed over, however many the platform's default would keep.
  out.market.window_bars = window == 0 || window > std::numeric_limits<std::uint32_t>::max()
                               ? std::numeric_limits<std::uint32_t>::max()
                               : static_cast<std::uint32_t>(window);
  out.market.symbol = symbol.name.c_str();
  out.market.now_ms = now_ms;
  out.market.ticker = &out.ticker;
  out.market.host = host;
  out.market.host_context = nullptr;
}

}  // namespace vyx::runtime
