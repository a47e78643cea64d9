// End to end: `vyx run --live` and `vyx record --live` as real processes
// against the mock exchange on the loopback; `vyx backtest` on the recording
// gives the signals the live run wrote.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <regex>

#include "child_process.hpp"
#include "file_watch.hpp"
#include "http_get.hpp"
#include "mock_binance.hpp"
#include "temp_dir.hpp"

using namespace vyx::test;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> lines_of(const fs::path& file) {
  std::vector<std::string> out;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(line);
  std::sort(out.begin(), out.end());
  return out;
}

std::uint16_t port_of(child_process& p) {
  REQUIRE(p.wait_for_stderr_line("listening on", std::chrono::seconds(60)));
  std::smatch m;
  std::string text = p.stderr_text();
  REQUIRE(std::regex_search(text, m, std::regex("listening on [0-9.]+:([0-9]+)")));
  return static_cast<std::uint16_t>(std::stoi(m[1]));
}

// The newest close time of a recorded symbol's 1m candles (0 when none yet).
std::int64_t last_recorded_close(const fs::path& rec, const std::string& symbol) {
  std::int64_t last = 0;
  for (const auto& r : lines_of(rec / symbol / "1m.csv")) last = std::max<std::int64_t>(last, std::atoll(r.c_str()));
  return last == 0 ? 0 : last + 59'999;
}

// The feed's newest close delivered, from /health's binance object.
std::int64_t health_last_close(std::uint16_t port) {
  auto r = http_get(port, "/health");
  auto at = r.body.find("\"last_close_ms\":");
  return at == std::string::npos ? -1 : std::atoll(r.body.c_str() + at + 16);
}

std::int64_t metric(std::uint16_t port, const std::string& name) {
  auto r = http_get(port, "/metrics");
  if (r.status != 200) return -1;
  auto at = r.body.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::atoll(r.body.c_str() + at + name.size() + 2);
}

struct live_env {
  vyx::mock::mock_market market =
      vyx::mock::generate_market({"AUSDT", "BUSDT", "CUSDT", "DUSDT"},
                                 (1u << VYX_TF_1M) | (1u << VYX_TF_5M), 1'767'225'600'000, 2000);
  std::unique_ptr<vyx::mock::mock_binance> mock;
  std::int64_t now = 0;
  live_env() {
    vyx::mock::mock_options o;
    o.ping_interval = std::chrono::milliseconds(500);
    mock = std::make_unique<vyx::mock::mock_binance>(market, o);
    now = market.first_open() + 86'400'000 + 30'000;
    mock->publish_until(now);
    setenv("BINANCE_API_URL", mock->api_url().c_str(), 1);
    setenv("BINANCE_WS_URL", mock->ws_url().c_str(), 1);
    setenv("SYMBOL_COUNT", "4", 1);
    setenv("MIN_VOLUME", "0", 1);
  }
  std::int64_t step() {
    now += 60'000;
    mock->publish_until(now);
    return now - 30'000 - 1;  // the 1m close just passed
  }
};

}  // namespace

TEST_CASE("vyx run --live: /health during start-up, ticks, a reconnect, and a recording that backtests to the same signals") {
  temp_dir dir;
  live_env env;
  fs::create_directories(dir / "traders");
  fs::copy_file(fs::path(VYX_LIVE_PLUGIN_DIR) / "rising.so", dir / "traders" / "rising.so");
  // The first REST answers are 429s: start-up takes a few seconds, /health must answer meanwhile.
  env.mock->fail_rest(429, 2, 1);
  child_process run({VYX_COMMAND, "run", "--live", "--traders", (dir / "traders").string(), "--jsonl",
                     (dir / "live.jsonl").string(), "--record", (dir / "rec").string(), "--port", "0",
                     "--address", "127.0.0.1", "--timeframes", "1m,5m", "--capacity", "60",
                     "--grace-ms", "300", "--idle-ms", "3000", "--history-signals"},
                    dir / "run.out");
  const auto port = port_of(run);
  auto early = http_get(port, "/health");
  CHECK(early.status == 200);
  CHECK(early.body.find("\"status\":\"healthy\"") != std::string::npos);
  REQUIRE(run.wait_for_stderr("start-up backfill done", std::chrono::seconds(60)));
  // The recording is flushed per batch, after the feed counted the close and
  // before its tick runs: a change in it is the event to wait on.
  folder_watch recording(dir / "rec");
  for (int i = 0; i < 6; ++i) {
    if (i == 3) env.mock->close_all();
    const std::int64_t close = env.step();
    REQUIRE_MESSAGE(recording.wait(
                        [&] {
                          for (const char* symbol : {"AUSDT", "BUSDT", "CUSDT", "DUSDT"})
                            if (last_recorded_close(dir / "rec", symbol) < close) return false;
                          return true;
                        },
                        std::chrono::seconds(30)),
                    "close " << close << " not recorded");
    CHECK(health_last_close(port) >= close);
  }
  auto health = http_get(port, "/health");
  CHECK(health.body.find("\"phase\":\"live\"") != std::string::npos);
  CHECK(health.body.find("\"state\":\"open\"") != std::string::npos);
  CHECK(metric(port, "vyx_binance_reconnects_total") >= 1);
  CHECK(metric(port, "vyx_binance_missing_candles_total") == 0);
  run.signal(SIGTERM);
  int status = run.wait_exit();
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);

  child_process backtest({VYX_COMMAND, "backtest", "--trader", (dir / "traders" / "rising.so").string(),
                          "--data", (dir / "rec").string(), "--signals", (dir / "replay.jsonl").string()},
                         dir / "bt.out");
  status = backtest.wait_exit();
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  auto live = lines_of(dir / "live.jsonl");
  auto replay = lines_of(dir / "replay.jsonl");
  CHECK(live.size() > 10);
  CHECK(live == replay);
}

TEST_CASE("vyx record --live writes the replay layout, gap-free") {
  temp_dir dir;
  live_env env;
  folder_watch recording(dir / "rec");
  child_process rec({VYX_COMMAND, "record", "--live", "--out", (dir / "rec").string(), "--history", "30",
                     "--timeframes", "1m", "--grace-ms", "300"},
                    dir / "rec.out");
  REQUIRE(rec.wait_for_stderr("start-up backfill done", std::chrono::seconds(60)));
  std::int64_t close = 0;
  for (int i = 0; i < 3; ++i) close = env.step();
  // Wait until the last close is on disk.
  CHECK(recording.wait([&] { return last_recorded_close(dir / "rec", "DUSDT") >= close; },
                       std::chrono::seconds(30)));
  rec.signal(SIGTERM);
  int status = rec.wait_exit();
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  for (const char* symbol : {"AUSDT", "BUSDT", "CUSDT", "DUSDT"}) {
    auto rows = lines_of(dir / "rec" / symbol / "1m.csv");
    REQUIRE(rows.size() == 33);
    for (std::size_t i = 1; i < rows.size(); ++i)
      CHECK(std::atoll(rows[i].c_str()) == std::atoll(rows[i - 1].c_str()) + 60'000);
    CHECK(std::atoll(rows.back().c_str()) + 59'999 == close);
  }
}

TEST_CASE("vyx run --live stops with a clear error on HTTP 418") {
  temp_dir dir;
  live_env env;
  fs::create_directories(dir / "traders");
  fs::copy_file(fs::path(VYX_LIVE_PLUGIN_DIR) / "rising.so", dir / "traders" / "rising.so");
  env.mock->fail_rest(418, 120, 1000);
  child_process run({VYX_COMMAND, "run", "--live", "--traders", (dir / "traders").string(), "--jsonl",
                     (dir / "live.jsonl").string(), "--port", "0", "--address", "127.0.0.1"},
                    dir / "run.out");
  int status = run.wait_exit();
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(run.stderr_text().find("418") != std::string::npos);
}
