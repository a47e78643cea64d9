// `vyx run --analyze` end to end: the real command over a short replay, its
// signals in SQLite, each one analysed once by the mock provider.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>

#include "child_process.hpp"
#include "../support/eventually.hpp"
#include "mock_provider.hpp"
#include "sqlite_value.hpp"
#include "temp_dir.hpp"

#if defined(VYX_COMMAND) && defined(VYX_GEN_MARKET) && defined(VYX_ANALYSIS_PLUGIN_DIR)

using namespace std::chrono_literals;
using vyx::test::child_process;
using vyx::test::sqlite_value;
using vyx::test::temp_dir;

TEST_CASE("vyx run --analyze: every signal of the replay gets one stored analysis") {
  temp_dir dir;
  {
    std::string out, err;
    REQUIRE(vyx::test::run_to_completion({VYX_GEN_MARKET, "--out", (dir / "market").string(), "--symbols", "2",
                                          "--days", "1"},
                                         dir, out, err) == 0);
  }
  std::filesystem::create_directories(dir / "traders");
  std::filesystem::copy_file(std::filesystem::path(VYX_ANALYSIS_PLUGIN_DIR) / "rising.so", dir / "traders/rising.so");
  vyx::test::write_file(dir / "traders/rising.strategy.md", "Only strong closes count.");
  vyx::test::mock_provider provider([](std::size_t, const vyx::test::mock_request&) {
    return vyx::test::answer(vyx::test::verdict_text("wait", 55, "end to end"));
  });
  // The child inherits these (no other thread of this test reads the environment meanwhile).
  setenv("OPENROUTER_API_KEY", "e2e-key", 1);
  setenv("OPENROUTER_API_URL", provider.url().c_str(), 1);
  setenv("VYX_ANALYSIS_RPM", "6000", 1);
  const auto db = dir / "vyx.db";
  child_process service({VYX_COMMAND, "run", "--replay", (dir / "market").string(), "--traders",
                         (dir / "traders").string(), "--port", "0", "--address", "127.0.0.1", "--speed", "0",
                         "--to", "2024-03-01T00:20Z", "--db", db.string(), "--analyze"},
                        dir / "stdout.txt");
  unsetenv("OPENROUTER_API_KEY");
  unsetenv("OPENROUTER_API_URL");
  unsetenv("VYX_ANALYSIS_RPM");
  // The replay ends, the service keeps serving; the queue drains meanwhile.
  REQUIRE(service.wait_for_stderr("serving until SIGTERM"));
  std::int64_t signals = 0;
  vyx::test::eventually(
      [&] {
        signals = sqlite_value(db, "SELECT COUNT(*) FROM signals");
        return signals > 0 && sqlite_value(db, "SELECT COUNT(*) FROM signal_analyses") == signals &&
               sqlite_value(db, "SELECT COUNT(*) FROM analysis_queue WHERE state <> 'done'") == 0;
      },
      30s, 20ms);
  service.signal(SIGTERM);
  const int status = service.wait_exit();
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  REQUIRE(signals > 0);
  CHECK(sqlite_value(db, "SELECT COUNT(*) FROM signal_analyses") == signals);
  CHECK(sqlite_value(db, "SELECT COUNT(*) FROM signal_analyses a JOIN signals s ON s.id = a.signal_id "
                  "WHERE a.user_id = 'local' AND a.reasoning = 'end to end'") == signals);
  CHECK(static_cast<std::int64_t>(provider.requests().size()) == signals);
  for (const auto& r : provider.requests()) {
    CHECK(r.authorization == "Bearer e2e-key");
    // The model is told the trader's instructions, the signal with its
    // indicator values, and the recent candles up to the signal's own.
    CHECK(r.prompt.find("Only strong closes count.") != std::string::npos);
    CHECK(r.prompt.find(R"("trader":"rising")") != std::string::npos);
    CHECK(r.prompt.find(R"("indicators":{"change":)") != std::string::npos);
    CHECK(r.prompt.find(R"("candles":[{"t":)") != std::string::npos);
  }
}

TEST_CASE("vyx run refuses a malformed analysis setting with a clear error") {
  temp_dir dir;
  std::filesystem::create_directories(dir / "traders");
  setenv("OPENROUTER_API_KEY", "k", 1);
  setenv("VYX_ANALYSIS_CONCURRENCY", "lots", 1);
  std::string out, err;
  const int status = vyx::test::run_to_completion(
      {VYX_COMMAND, "run", "--replay", (dir / "market").string(), "--traders", (dir / "traders").string(), "--analyze"},
      dir, out, err);
  unsetenv("OPENROUTER_API_KEY");
  unsetenv("VYX_ANALYSIS_CONCURRENCY");
  CHECK(WEXITSTATUS(status) != 0);
  CHECK(err.find("VYX_ANALYSIS_CONCURRENCY") != std::string::npos);
  CHECK(err.find("Segmentation") == std::string::npos);
}

#endif
