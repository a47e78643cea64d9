// Peers dataset -> replay CSV files (see replay_csv.hpp).
#include "replay_csv.hpp"

#include <charconv>
#include <fstream>
#include <system_error>

namespace vyx::bench::peers {
namespace {

template <typename T>
void append_number(std::string& out, T value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, ec == std::errc() ? end : buffer);
}

}  // namespace

std::string kline_csv_row(const candle_columns& c, std::size_t b) {
  std::string row;
  row.reserve(160);
  append_number(row, c.open_time[b]);
  for (double v : {c.open[b], c.high[b], c.low[b], c.close[b], c.volume[b]}) {
    row += ',';
    append_number(row, v);
  }
  row += ',';
  append_number(row, c.close_time[b]);
  row += ',';
  append_number(row, c.quote_volume[b]);
  row += ',';
  append_number(row, c.trades[b]);
  row += ',';
  append_number(row, c.taker_buy_base_volume[b]);
  row += ",0,0";
  return row;
}

bool write_replay_csv(const peer_dataset& data, const std::filesystem::path& dir,
                      const replay_csv_options& options, std::string& error) {
  std::size_t symbols = data.symbols.size();
  if (options.max_symbols != 0 && options.max_symbols < symbols) symbols = options.max_symbols;
  for (std::size_t s = 0; s < symbols; ++s) {
    const auto folder = dir / data.symbols[s];
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec) {
      error = folder.string() + ": " + ec.message();
      return false;
    }
    for (std::size_t t = 0; t < data.timeframes.size(); ++t) {
      const auto file = folder / (data.timeframes[t] + ".csv");
      std::ofstream out(file, std::ios::binary | std::ios::trunc);
      const candle_columns& c = data.at(s, t);
      if (options.header) out << kline_csv_header << '\n';
      for (std::size_t b = 0; b < c.size(); ++b) out << kline_csv_row(c, b) << '\n';
      out.close();
      if (!out) {
        error = file.string() + ": write failed";
        return false;
      }
    }
  }
  return true;
}

}  // namespace vyx::bench::peers
