// `vyx data fetch` against the mock exchange on the loopback (plain HTTP):
// the CSV rows are exactly the mock's closed candles of the asked days; a run
// stopped part-way (HTTP 418 after a few pages, plus a torn last line as a
// kill mid-write leaves) resumes to exactly the full set; a 429 with
// Retry-After is waited out.
#include <doctest/doctest.h>

#include <chrono>

#include "command_runner.hpp"
#include "mock_binance.hpp"
#include "vyx/runtime/feeds/recording_feed.hpp"
#include "vyx/runtime/market/timeframe.hpp"

using namespace vyx::test;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t day_ms = 86'400'000;
const std::vector<std::string> symbols = {"BTCUSDT", "ETHUSDT"};

// Three days of 1m and 5m candles; the exchange's now is 2.5 days in, mid-minute.
struct fetch_env {
  vyx::mock::mock_market market = vyx::mock::generate_market(
      symbols, (1u << VYX_TF_1M) | (1u << VYX_TF_5M), 1'767'225'600'000, 3 * 1440);
  std::unique_ptr<vyx::mock::mock_binance> mock;
  std::int64_t now = market.first_open() + 5 * day_ms / 2 + 30'000;
  fetch_env() {
    mock = std::make_unique<vyx::mock::mock_binance>(market);
    mock->publish_until(now);
  }

  // What the files must hold for --days 2: every candle from the period
  // containing now - 2 days that closed before now, in the recorder's format.
  std::string expected_csv(const std::string& symbol, vyx_timeframe tf) {
    const std::int64_t period = vyx::runtime::timeframe_ms(tf);
    const std::int64_t start = now - 2 * day_ms;
    std::string text;
    for (const auto& c : market.find(symbol)->bars[tf])
      if (c.open_time >= start - start % period && c.close_time < now)
        text += vyx::runtime::kline_csv_row(c);
    return text;
  }

  std::vector<std::string> fetch_args(const fs::path& out) const {
    return {VYX_COMMAND, "data", "fetch", "--symbols",  "BTCUSDT,ethusdt", "--timeframes", "1m,5m",
            "--days",    "2",    "--out", out.string(), "--base-url",      mock->api_url()};
  }

  void check_complete(const fs::path& out) {
    for (const auto& symbol : symbols)
      for (vyx_timeframe tf : {VYX_TF_1M, VYX_TF_5M}) {
        CAPTURE(symbol);
        CAPTURE(vyx::runtime::timeframe_name(tf));
        const auto file = out / symbol / (std::string(vyx::runtime::timeframe_name(tf)) + ".csv");
        const std::string expected = expected_csv(symbol, tf);
        CHECK(expected.size() > 1000);
        CHECK(read_file(file) == expected);
      }
  }
};

}  // namespace

TEST_CASE("data fetch writes exactly the exchange's closed candles of the asked days") {
  fetch_env env;
  temp_dir dir;
  auto r = run_command(env.fetch_args(dir / "data"), dir);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  env.check_complete(dir / "data");
  // 2 days of 1m are 3 pages of 1000 rows, 5m one page: 4 per symbol.
  CHECK(env.mock->counters().kline_requests == 8);
  CHECK(r.err.find("BTCUSDT 1m: 2880 rows added") != std::string::npos);

  // A rerun with nothing new asks for nothing and changes nothing.
  auto again = run_command(env.fetch_args(dir / "data"), dir);
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  CHECK(again.err.find("BTCUSDT 1m: 0 rows added (resumed") != std::string::npos);
  CHECK(env.mock->counters().kline_requests == 8);
  env.check_complete(dir / "data");
}

TEST_CASE("an interrupted fetch resumes to the full set: no duplicate, no missing row") {
  fetch_env env;
  temp_dir dir;
  // The time request and two pages go through, then the exchange bans us.
  env.mock->fail_rest(418, 60, 1000, 3);
  auto stopped = run_command(env.fetch_args(dir / "data"), dir);
  CHECK(stopped.exit_code == 1);
  CHECK(stopped.err.find("418") != std::string::npos);
  const auto partial = dir / "data" / "BTCUSDT" / "1m.csv";
  const std::string expected = env.expected_csv("BTCUSDT", VYX_TF_1M);
  const std::string kept = read_file(partial);
  REQUIRE(kept.size() > 0);
  CHECK(kept.size() < expected.size());
  CHECK(expected.compare(0, kept.size(), kept) == 0);  // a prefix of whole rows
  // A kill in the middle of a write leaves a torn row behind.
  std::ofstream(partial, std::ios::app) << expected.substr(kept.size(), 40);

  env.mock->fail_rest(418, 0, 0);
  auto resumed = run_command(env.fetch_args(dir / "data"), dir);
  REQUIRE_MESSAGE(resumed.exit_code == 0, resumed.err);
  CHECK(resumed.err.find("BTCUSDT 1m: 880 rows added (resumed") != std::string::npos);
  env.check_complete(dir / "data");
}

TEST_CASE("a 429 with Retry-After is waited out, then the fetch completes") {
  fetch_env env;
  temp_dir dir;
  env.mock->fail_rest(429, 2, 1, 2);  // the second page is refused: wait 2 s
  const auto started = std::chrono::steady_clock::now();
  auto r = run_command(env.fetch_args(dir / "data"), dir);
  const auto took = std::chrono::steady_clock::now() - started;
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.err.find("429") != std::string::npos);
  CHECK(took >= std::chrono::seconds(2));
  env.check_complete(dir / "data");
}

TEST_CASE("data fetch refuses bad arguments with a clear message") {
  fetch_env env;
  temp_dir dir;
  auto tf =
      run_command({VYX_COMMAND, "data", "fetch", "--symbols", "BTCUSDT", "--timeframes", "2m",
                   "--days", "1", "--out", (dir / "d").string(), "--base-url", env.mock->api_url()},
                  dir);
  CHECK(tf.exit_code == 2);
  CHECK(tf.err.find("unknown timeframe '2m'") != std::string::npos);
  auto symbol = run_command({VYX_COMMAND, "data", "fetch", "--symbols", "BTC/USDT", "--timeframes",
                             "1m", "--days", "1", "--base-url", env.mock->api_url()},
                            dir);
  CHECK(symbol.exit_code == 2);
  CHECK(symbol.err.find("bad symbol 'BTC/USDT'") != std::string::npos);
  auto days = run_command(
      {VYX_COMMAND, "data", "fetch", "--symbols", "BTCUSDT", "--timeframes", "1m"}, dir);
  CHECK(days.exit_code == 2);
  CHECK(days.err.find("--days are required") != std::string::npos);
  auto unknown =
      run_command({VYX_COMMAND, "data", "fetch", "--symbols", "NOPEUSDT", "--timeframes", "1m",
                   "--days", "1", "--out", (dir / "d").string(), "--base-url", env.mock->api_url()},
                  dir);
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find("Invalid symbol") != std::string::npos);
  auto sub = run_command({VYX_COMMAND, "data", "pull"}, dir);
  CHECK(sub.exit_code == 2);
  CHECK(sub.err.find("unknown subcommand 'pull'") != std::string::npos);
}
