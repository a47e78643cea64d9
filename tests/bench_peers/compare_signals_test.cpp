// Signal grids against the peers' verify format: reading their real output,
// counting and locating disagreements, and refusing malformed files.
#include <doctest/doctest.h>

#include <stdexcept>

#include "compare_signals.hpp"
#include "test_data.hpp"

using namespace vyx::bench::peers;
using namespace vyx::test::peers;

namespace {

signal_grid read_peers() {
  std::string error;
  auto grid = read_verify_file(tiny_verify(), 20, error);
  REQUIRE_MESSAGE(grid.has_value(), error);
  return std::move(*grid);
}

std::string verify_error(const std::string& text, std::size_t symbols) {
  scratch_dir dir;
  write_bytes(dir / "verify.txt", text);
  std::string error;
  CHECK_FALSE(read_verify_file(dir / "verify.txt", symbols, error).has_value());
  return error;
}

}  // namespace

TEST_CASE("the peers' verify output: five traders, symbols x offsets bits each") {
  const auto peers = read_peers();
  CHECK(peers.traders() == std::vector<std::string>{"T1", "T2", "T3", "T4", "T5"});
  CHECK(peers.symbols() == 20);
  CHECK(peers.offsets() == 5);
  // The positives their compare.js reports for this file.
  CHECK(peers.count_true("T1") == 15);
  CHECK(peers.count_true("T2") == 0);
  CHECK(peers.count_true("T3") == 4);
  CHECK(peers.count_true("T4") == 6);
  CHECK(peers.count_true("T5") == 1);
  // bits[offset * symbols + symbol]: T1's line starts 000000000000101000...
  CHECK(peers.get("T1", 12, 0));
  CHECK_FALSE(peers.get("T1", 13, 0));
  CHECK(peers.get("T1", 14, 0));
  CHECK_FALSE(peers.get("T9", 14, 0));
}

TEST_CASE("writing a grid gives back the peers' file byte for byte") {
  const auto peers = read_peers();
  scratch_dir dir;
  std::string error;
  REQUIRE_MESSAGE(write_verify_file(dir / "out.txt", peers, error), error);
  CHECK(read_bytes(dir / "out.txt") == read_bytes(tiny_verify()));
}

TEST_CASE("identical signals: every case agrees") {
  const auto peers = read_peers();
  const auto c = compare_signals(peers, peers);
  CHECK(c.disagreements == 0);
  CHECK(c.listed.empty());
  REQUIRE(c.traders.size() == 5);
  for (const auto& a : c.traders) {
    CHECK(a.cases == 100);
    CHECK(a.agree == 100);
    CHECK(a.ours_true == a.peers_true);
    CHECK_FALSE(a.missing_in_ours);
  }
}

TEST_CASE("flipped cases are counted per trader and located by symbol and offset") {
  const auto peers = read_peers();
  signal_grid ours = peers;
  ours.set("T1", 12, 0, false);  // a peers' positive we miss
  ours.set("T4", 3, 4, !peers.get("T4", 3, 4));
  ours.set("T9", 0, 0, true);  // a trader the peers don't have is ignored
  const auto c = compare_signals(ours, peers);
  CHECK(c.disagreements == 2);
  REQUIRE(c.listed.size() == 2);
  CHECK(c.listed[0].trader == "T1");
  CHECK(c.listed[0].symbol == 12);
  CHECK(c.listed[0].offset == 0);
  CHECK_FALSE(c.listed[0].ours);
  CHECK(c.listed[0].peers);
  CHECK(c.listed[1].trader == "T4");
  CHECK(c.listed[1].symbol == 3);
  CHECK(c.listed[1].offset == 4);
  CHECK(c.traders[0].agree == 99);
  CHECK(c.traders[0].ours_true == 14);
  CHECK(c.traders[0].peers_true == 15);
  CHECK(c.traders[3].agree == 99);

  const auto text = format_comparison(c);
  CHECK(text.find("differs: T1 symbol 12 offset 0: ours 0, peers 1") != std::string::npos);
  CHECK(text.find("DISAGREEMENTS {\"symbols\":20,\"offsets\":5,\"total\":2,") != std::string::npos);
  CHECK(text.find("\"T1\":{\"cases\":100,\"disagree\":1,\"ours_true\":14,\"peers_true\":15") !=
        std::string::npos);

  const auto capped = compare_signals(ours, peers, 1);
  CHECK(capped.disagreements == 2);
  CHECK(capped.listed.size() == 1);
  CHECK(format_comparison(capped).find("... 1 more") != std::string::npos);
}

TEST_CASE("a trader missing from ours counts as all false - only common offsets are compared") {
  const auto peers = read_peers();
  signal_grid ours(20, 50);  // a live replay covers more history than the peers verified
  for (const auto& trader : {"T1", "T2", "T3", "T4"})
    for (std::size_t offset = 0; offset < 5; ++offset)
      for (std::size_t symbol = 0; symbol < 20; ++symbol)
        if (peers.get(trader, symbol, offset)) ours.set(trader, symbol, offset);
  ours.set("T1", 0, 40);  // outside the peers' offsets: not compared
  const auto c = compare_signals(ours, peers);
  CHECK(c.offsets == 5);
  CHECK(c.disagreements == 1);  // T5's single positive
  CHECK(c.traders[4].missing_in_ours);
  CHECK(c.traders[4].agree == 99);
  CHECK(c.traders[0].ours_true == 15);

  CHECK_THROWS_AS(compare_signals(signal_grid(19, 5), peers), std::invalid_argument);
}

TEST_CASE("malformed verify files name the file and line") {
  CHECK(verify_error("T1 0101\nT2 01\n", 2).find("verify.txt:2: 1 offsets, earlier lines have 2") !=
        std::string::npos);
  CHECK(verify_error("T1 010\n", 2).find("verify.txt:1: expected") != std::string::npos);
  CHECK(verify_error("T1 01x1\n", 2).find("verify.txt:1: expected") != std::string::npos);
  CHECK(verify_error("T1 0101 11\n", 2).find("verify.txt:1: expected") != std::string::npos);
  CHECK(verify_error("\nT1 01\nT1 10\n", 2).find("verify.txt:3: trader T1 listed twice") !=
        std::string::npos);
  CHECK(verify_error("\n\n", 2).find("no trader lines") != std::string::npos);
  CHECK(verify_error("T1 01\n", 0).find("must be positive") != std::string::npos);
  std::string error;
  CHECK_FALSE(read_verify_file("/nonexistent/verify.txt", 2, error).has_value());
  CHECK(error == "/nonexistent/verify.txt: cannot open");
}

TEST_CASE("a signal list names true cases by symbol index or name - the rest are false") {
  scratch_dir dir;
  write_bytes(dir / "ours.txt",
              "# trader symbol offset\n"
              "T1 3 0\n"
              "T1 SYMB 4   # by name\n"
              "\n"
              "T3\t0\t2\r\n");
  std::string error;
  const std::vector<std::string> names = {"SYMA", "SYMB", "SYMC", "SYMD"};
  auto grid = read_signal_list(dir / "ours.txt", 4, 5, names, error);
  REQUIRE_MESSAGE(grid.has_value(), error);
  CHECK(grid->traders() == std::vector<std::string>{"T1", "T3"});
  CHECK(grid->get("T1", 3, 0));
  CHECK(grid->get("T1", 1, 4));
  CHECK(grid->get("T3", 0, 2));
  CHECK(grid->count_true("T1") == 2);
  CHECK(grid->count_true("T3") == 1);

  write_bytes(dir / "bad.txt", "T1 3 0\nT1 4 0\n");
  CHECK_FALSE(read_signal_list(dir / "bad.txt", 4, 5, names, error).has_value());
  CHECK(error.find("bad.txt:2: symbol 4 or offset 0 outside 4 symbols x 5 offsets") !=
        std::string::npos);
  write_bytes(dir / "bad.txt", "T1 SYMZ 0\n");
  CHECK_FALSE(read_signal_list(dir / "bad.txt", 4, 5, names, error).has_value());
  CHECK(error.find("bad.txt:1: expected") != std::string::npos);
  write_bytes(dir / "bad.txt", "T1 1\n");
  CHECK_FALSE(read_signal_list(dir / "bad.txt", 4, 5, names, error).has_value());
}

TEST_CASE("a grid refuses cases outside its shape") {
  signal_grid grid(3, 2);
  CHECK_THROWS_AS(grid.set("T1", 3, 0), std::out_of_range);
  CHECK_THROWS_AS(grid.set("T1", 0, 2), std::out_of_range);
  CHECK_THROWS_AS((void)grid.get("T1", 0, 2), std::out_of_range);
  grid.set("T1", 2, 1);
  CHECK(grid.verify_line("T1") == "T1 000001");
  CHECK(grid.verify_line("T2") == "T2 000000");
}
