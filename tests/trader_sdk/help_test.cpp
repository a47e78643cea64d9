// `vyx --help` leads to the edit loop: the new commands and --watch are named.
#include <doctest/doctest.h>

#include "command_runner.hpp"

using namespace vyx::test;

TEST_CASE("vyx --help names the edit loop's commands, each with its own --help") {
  temp_dir dir;
  auto help = run_command({VYX_COMMAND, "--help"}, dir);
  REQUIRE(help.exit_code == 0);
  for (const std::string part : {"--watch", "new ", "data fetch", "docs/writing-traders.md"})
    CHECK_MESSAGE(help.out.find(part) != std::string::npos, part);
  auto fetch = run_command({VYX_COMMAND, "data", "fetch", "--help"}, dir);
  CHECK(fetch.exit_code == 0);
  CHECK(fetch.out.find("--base-url") != std::string::npos);
  auto made = run_command({VYX_COMMAND, "new", "--help"}, dir);
  CHECK(made.exit_code == 0);
  CHECK(made.out.find("--lang") != std::string::npos);
  auto backtest = run_command({VYX_COMMAND, "backtest", "--help"}, dir);
  CHECK(backtest.out.find("--settle-ms") != std::string::npos);
  auto no_sub = run_command({VYX_COMMAND, "data"}, dir);
  CHECK(no_sub.exit_code == 2);
  CHECK(no_sub.err.find("a subcommand is required") != std::string::npos);
}
