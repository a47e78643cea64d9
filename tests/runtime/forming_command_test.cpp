// A dialect trader that reads the forming 1h candle and the ticker goes
// through the whole product path: vyx compiles it (the checker allows the
// new SDK names, being in namespace vyx), backtests it, and its values are
// as of each evaluation moment.
#include <doctest/doctest.h>

#include <sstream>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

#ifdef VYX_COMMAND

using vyx::test::child_process;
using vyx::test::read_file;
using vyx::test::temp_dir;
using vyx::test::write_file;

namespace {

constexpr const char* trader_source = R"(// The hour so far is green and the 5m candle just closed up.
bool filter(const vyx::Market& m) {
  const auto& h1 = m.klines("1h");
  const auto& m5 = m.klines("5m");
  if (!h1.has_forming() || m5.size() < 2) return false;
  const vyx::Candle c = h1.forming();
  const vyx::Ticker t = m.ticker();
  vyx::emit("f_open_time", c.open_time);
  vyx::emit("f_close_time", c.close_time);
  vyx::emit("f_open", c.open);
  vyx::emit("f_close", c.close);
  vyx::emit("f_volume", c.volume);
  vyx::emit("m5_close", m5.close().last());
  vyx::emit("last_price", t.last_price);
  return c.close > c.open && m5.close().last() > m5.close().ago(1);
}
)";

// The number after "name": in a JSON line.
double number(const std::string& json_line, const std::string& name) {
  const std::string key = "\"" + name + "\":";
  const auto at = json_line.find(key);
  REQUIRE_MESSAGE(at != std::string::npos, name << " in " << json_line);
  return std::stod(json_line.substr(at + key.size()));
}

}  // namespace

TEST_CASE("vyx backtest compiles a trader reading the forming candle and it sees now's values") {
  temp_dir dir;
  {
    child_process gen({VYX_GEN_MARKET, "--out", (dir / "market").string(), "--symbols", "3",
                       "--days", "1"},
                      dir / "gen.txt");
    REQUIRE(gen.wait_exit() == 0);
  }
  write_file(dir / "forming_up.cpp", trader_source);
  setenv("XDG_CACHE_HOME", VYX_TEST_CACHE_DIR, 1);  // the build tree's compiler cache
  child_process backtest({VYX_COMMAND, "backtest", "--trader", (dir / "forming_up.cpp").string(),
                          "--data", (dir / "market").string()},
                         dir / "signals.jsonl");
  const int status = backtest.wait_exit();
  const std::string err = backtest.stderr_text();
  if (err.find("built without the compiler library") != std::string::npos) {
    MESSAGE("vyx built without vyx::compiler: compiled-trader test skipped");
    return;
  }
  REQUIRE_MESSAGE(WEXITSTATUS(status) == 0, err);
  std::istringstream lines(read_file(dir / "signals.jsonl"));
  std::size_t signals = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    CAPTURE(line);
    const double now = number(line, "close_time");  // the 5m candle's close: the moment
    const double open_time = number(line, "f_open_time");
    // The forming hour opened at or before now and ends after it (nothing later is known).
    CHECK(open_time <= now);
    CHECK(number(line, "f_close_time") == open_time + 3'600'000 - 1);
    CHECK(number(line, "f_close_time") > now);
    CHECK(number(line, "f_close") == number(line, "m5_close"));  // the forming close is now's price
    CHECK(number(line, "last_price") == number(line, "m5_close"));
    CHECK(number(line, "f_close") > number(line, "f_open"));
    ++signals;
  }
  CHECK(signals > 10);
}

#endif
