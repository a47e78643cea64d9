// Peers dataset -> replay CSV: the row layout (Binance kline columns), the
// folder layout, and numbers that read back as the very same doubles.
#include <doctest/doctest.h>

#include <charconv>
#include <sstream>

#include "peer_dataset.hpp"
#include "replay_csv.hpp"
#include "test_data.hpp"

using namespace vyx::bench::peers;
using namespace vyx::test::peers;

namespace {

std::vector<std::string> lines_of(const std::filesystem::path& path) {
  std::istringstream in(read_bytes(path));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> split(const std::string& row) {
  std::vector<std::string> fields;
  std::istringstream in(row);
  for (std::string field; std::getline(in, field, ',');) fields.push_back(field);
  return fields;
}

template <typename T>
T parse(const std::string& text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  REQUIRE_MESSAGE((ec == std::errc() && end == text.data() + text.size()), "not a number: ", text);
  return value;
}

peer_dataset read_tiny() {
  std::string error;
  auto data = read_peer_dataset(tiny_dataset(), error);
  REQUIRE_MESSAGE(data.has_value(), error);
  return std::move(*data);
}

}  // namespace

TEST_CASE("one row has the twelve Binance kline columns in their order") {
  const auto data = read_tiny();
  CHECK(kline_csv_row(data.at(0, 0), 0) ==
        "1735689120000,3107.661,3107.986,3099.805,3101.482,9.057,1735689179999,28104.695,8,3.277,0,"
        "0");
  CHECK(split(kline_csv_header).size() == 12);
  CHECK(split(kline_csv_row(data.at(1, 2), 7)).size() == 12);
}

TEST_CASE("DIR/<SYMBOL>/<timeframe>.csv for every symbol and timeframe, values read back exactly") {
  const auto data = read_tiny();
  scratch_dir dir;
  std::string error;
  REQUIRE_MESSAGE(write_replay_csv(data, dir / "csv", {}, error), error);
  for (std::size_t s = 0; s < data.symbols.size(); ++s) {
    for (std::size_t t = 0; t < data.timeframes.size(); ++t) {
      const auto file = dir / "csv" / data.symbols[s] / (data.timeframes[t] + ".csv");
      CAPTURE(file);
      const auto lines = lines_of(file);
      REQUIRE(lines.size() == data.bars + 1);
      CHECK(lines[0] == kline_csv_header);
      const auto& c = data.at(s, t);
      for (std::size_t b = 0; b < data.bars; ++b) {
        const auto f = split(lines[b + 1]);
        REQUIRE(f.size() == 12);
        CHECK(parse<std::int64_t>(f[0]) == c.open_time[b]);
        CHECK(parse<double>(f[1]) == c.open[b]);
        CHECK(parse<double>(f[2]) == c.high[b]);
        CHECK(parse<double>(f[3]) == c.low[b]);
        CHECK(parse<double>(f[4]) == c.close[b]);
        CHECK(parse<double>(f[5]) == c.volume[b]);
        CHECK(parse<std::int64_t>(f[6]) == c.close_time[b]);
        CHECK(parse<double>(f[7]) == c.quote_volume[b]);
        CHECK(parse<std::int64_t>(f[8]) == c.trades[b]);
        CHECK(parse<double>(f[9]) == c.taker_buy_base_volume[b]);
      }
    }
  }
}

TEST_CASE("options: no header, only the first symbols") {
  const auto data = read_tiny();
  scratch_dir dir;
  std::string error;
  replay_csv_options options;
  options.header = false;
  options.max_symbols = 1;
  REQUIRE_MESSAGE(write_replay_csv(data, dir.path(), options, error), error);
  CHECK(std::filesystem::exists(dir / "SYM0000USDT/1m.csv"));
  CHECK_FALSE(std::filesystem::exists(dir / "SYM0001USDT"));
  const auto lines = lines_of(dir / "SYM0000USDT/5m.csv");
  REQUIRE(lines.size() == data.bars);
  CHECK(lines[0] == kline_csv_row(data.at(0, 1), 0));
}

TEST_CASE("an unwritable destination is reported with its path") {
  const auto data = read_tiny();
  scratch_dir dir;
  write_bytes(dir / "a_file", "x");
  std::string error;
  CHECK_FALSE(write_replay_csv(data, dir / "a_file", {}, error));
  CHECK(error.find("a_file") != std::string::npos);
}
