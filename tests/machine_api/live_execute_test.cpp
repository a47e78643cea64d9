// execute-immediate under `vyx run --live`, against the mock Binance on the
// loopback: the market stands still (no candle closes), and the answer must
// come anyway, screened between closes rather than after the next one.
#include <doctest/doctest.h>

#include <regex>
#include <thread>

#include "../runtime/support/child_process.hpp"
#include "http_client.hpp"
#include "mock_binance.hpp"

namespace live_execute {

using vyx::test::child_process;
using vyx::test::http_call;
using vyx::test::temp_dir;

const std::string service_key = "live-execute-service-key";

long metric_value(std::uint16_t port, const std::string& name) {
  const auto text = http_call(port, "GET", "/metrics").body;
  const auto at = text.find("\n" + name + " ");
  return at == std::string::npos ? -1 : std::stol(text.substr(at + name.size() + 2));
}

}  // namespace live_execute

TEST_CASE("vyx run --live: execute-immediate answers while no candle closes") {
  using namespace live_execute;
  temp_dir dir;
  auto market = vyx::mock::generate_market({"AUSDT", "BUSDT"}, 1u << VYX_TF_1M, 1'767'225'600'000, 2000);
  vyx::mock::mock_options options;
  options.ping_interval = std::chrono::milliseconds(500);
  vyx::mock::mock_binance exchange(market, options);
  std::int64_t now = market.first_open() + 86'400'000 + 30'000;  // half-way through a minute
  exchange.publish_until(now);
  setenv("BINANCE_API_URL", exchange.api_url().c_str(), 1);
  setenv("BINANCE_WS_URL", exchange.ws_url().c_str(), 1);
  setenv("SYMBOL_COUNT", "2", 1);
  setenv("MIN_VOLUME", "0", 1);
  setenv("USER_ID", "9d0c1a7e-1111-4222-8333-444455556666", 1);
  setenv("SUPABASE_SERVICE_KEY", service_key.c_str(), 1);
  std::filesystem::create_directories(dir / "traders");
  std::filesystem::copy_file(std::string(VYX_API_TEST_PLUGINS) + "/rising.so", dir / "traders/rising.so");
  child_process run({VYX_COMMAND, "run", "--live", "--traders", (dir / "traders").string(), "--db",
                     (dir / "vyx.db").string(), "--port", "0", "--address", "127.0.0.1", "--timeframes",
                     "1m", "--capacity", "60", "--grace-ms", "300", "--workers", "1"},
                    dir / "run.out");
  REQUIRE(run.wait_for_stderr_line("listening on ", std::chrono::seconds(60)));
  std::smatch m;
  const std::string text = run.stderr_text();
  REQUIRE(std::regex_search(text, m, std::regex(R"(listening on [0-9.]+:(\d+))")));
  const auto port = static_cast<std::uint16_t>(std::stoi(m[1]));
  REQUIRE(run.wait_for_stderr("start-up backfill done", std::chrono::seconds(60)));

  // One close, so the run has screened once; then the market stands still.
  now += 60'000;
  exchange.publish_until(now);
  const std::int64_t close = now - 30'000 - 1;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (metric_value(port, "vyx_last_candle_close_ms") < close && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling /metrics
  const long last_close = metric_value(port, "vyx_last_candle_close_ms");
  REQUIRE(last_close >= close);
  const long ticks = metric_value(port, "vyx_ticks_total");

  for (int i = 0; i < 3; ++i) {
    const auto asked = std::chrono::steady_clock::now();
    auto r = http_call(port, "POST", "/api/v1/traders/rising/execute-immediate",
                       {{"Authorization", "Bearer " + service_key}});
    const auto took = std::chrono::steady_clock::now() - asked;
    CAPTURE(r.body);
    CHECK(r.status == 200);
    CHECK(r.body.find(R"("traderId":"rising")") != std::string::npos);
    CHECK(r.body.find(R"("totalSymbols":2)") != std::string::npos);
    // Well under the next close (the market is frozen: there is none), and within the feed's 200 ms wake-up plus a loaded machine.
    CHECK(took < std::chrono::seconds(5));
  }
  CHECK(metric_value(port, "vyx_ticks_total") == ticks);  // no candle closed meanwhile
  CHECK(metric_value(port, "vyx_last_candle_close_ms") == last_close);
  run.signal(SIGTERM);
  const int status = run.wait_exit();
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
