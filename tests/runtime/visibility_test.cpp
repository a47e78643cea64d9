// A trader that does not compile, or needs a timeframe the data lacks, is
// visible with its reason everywhere a trader's state is shown: the backtest
// summary (and the other traders' signals still come out), and in `vyx run`
// /health, /metrics and `vyx status`.
#include <doctest/doctest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "support/child_process.hpp"
#include "support/http_get.hpp"
#include "support/temp_dir.hpp"

#ifdef VYX_COMMAND
namespace {

using vyx::test::child_process;
using vyx::test::read_file;
using vyx::test::run_to_completion;
using vyx::test::temp_dir;

const std::filesystem::path plugins = VYX_TEST_PLUGIN_DIR;

void make_market(const std::filesystem::path& where) {
  temp_dir scratch;
  std::string out, err;
  REQUIRE(
      run_to_completion({VYX_GEN_MARKET, "--out", where.string(), "--symbols", "2", "--days", "1"},
                        scratch, out, err) == 0);
}

void write(const std::filesystem::path& file, const std::string& text) {
  std::ofstream(file) << text;
}

const char* refused_source =
    "#include <cstdio>\nbool filter(const vyx::Market& m) { return true; }\n";
const char* daily_source =
    "bool filter(const vyx::Market& m) { return m.klines(\"1d\").size() > 0; }\n";

bool compiler_missing(const std::string& err) {
  if (err.find("built without the compiler library") == std::string::npos) return false;
  MESSAGE("vyx built without vyx::compiler: the compile-failure cases are skipped");
  return true;
}

}  // namespace

TEST_CASE(
    "backtest: a source trader that fails to compile is in the summary; the others' signals come "
    "out") {
  temp_dir dir;
  make_market(dir / "market");
  setenv("XDG_CACHE_HOME", VYX_TEST_CACHE_DIR, 1);
  write(dir / "refused.cpp", refused_source);
  std::string out, err;
  const int status = run_to_completion(
      {VYX_COMMAND, "backtest", "--trader", (plugins / "rising.so").string(), "--trader",
       (dir / "refused.cpp").string(), "--data", (dir / "market").string()},
      dir, out, err);
  if (compiler_missing(err)) return;
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(out.find("\"trader\":\"rising\"") != std::string::npos);  // the other trader's signals
  CHECK_MESSAGE(
      std::regex_search(
          err,
          std::regex(
              R"(refused\s+0\s+0\s+0\s+\S+\s+not loaded: .*does not compile: 1:\d+: .*\[dialect-no-include\])")),
      err);
  CHECK(err.find("1 of 2 traders did not load") != std::string::npos);
}

TEST_CASE(
    "vyx run: traders that do not compile or need missing timeframes show in /health, /metrics and "
    "vyx status") {
  temp_dir dir;
  make_market(dir / "market");
  setenv("XDG_CACHE_HOME", VYX_TEST_CACHE_DIR, 1);
  std::filesystem::create_directories(dir / "traders");
  std::filesystem::copy_file(plugins / "rising.so", dir / "traders/rising.so");
  write(dir / "traders/refused.cpp", refused_source);
  write(dir / "traders/daily.cpp", daily_source);
  child_process service({VYX_COMMAND, "run", "--replay", (dir / "market").string(), "--traders",
                         (dir / "traders").string(), "--port", "0", "--address", "127.0.0.1",
                         "--speed", "0", "--db", (dir / "vyx.db").string()},
                        dir / "run.out");
  REQUIRE(service.wait_for_stderr_line("listening on "));
  std::smatch m;
  const std::string text = service.stderr_text();
  REQUIRE(std::regex_search(text, m, std::regex(R"(listening on [^:]+:(\d+))")));
  const auto port = static_cast<std::uint16_t>(std::stoi(m[1].str()));
  REQUIRE(service.wait_for_stderr("replay ended"));
  if (compiler_missing(service.stderr_text())) {
    service.signal(SIGTERM);
    service.wait_exit();
    return;
  }

  const auto health = vyx::test::http_get(port, "/health");
  REQUIRE(health.status == 200);
  CAPTURE(health.body);
  CHECK(health.body.find("\"trader_count\":1") != std::string::npos);
  CHECK(health.body.find("\"failed\":2") != std::string::npos);
  CHECK(std::regex_search(
      health.body,
      std::regex(
          R"re(\{"trader":"refused","state":"failed","reason":"[^"]*does not compile[^"]*dialect-no-include)re")));
  CHECK(std::regex_search(
      health.body,
      std::regex(
          R"re(\{"trader":"daily","state":"failed","reason":"needs timeframe 1d, which the market data does not have)re")));

  const auto metrics = vyx::test::http_get(port, "/metrics");
  REQUIRE(metrics.status == 200);
  CHECK(metrics.body.find("\nvyx_traders_failed 2\n") != std::string::npos);
  CHECK(metrics.body.find("vyx_trader_loaded{trader=\"refused\"} 0") != std::string::npos);
  CHECK(metrics.body.find("vyx_trader_loaded{trader=\"daily\"} 0") != std::string::npos);
  CHECK(metrics.body.find("vyx_trader_loaded{trader=\"rising\"} 1") != std::string::npos);

  service.signal(SIGTERM);
  CHECK(WEXITSTATUS(service.wait_exit()) == 0);
  std::string out, err;
  REQUIRE(run_to_completion({VYX_COMMAND, "status", "--db", (dir / "vyx.db").string()}, dir, out,
                            err) == 0);
  CAPTURE(out);
  CHECK(std::regex_search(out, std::regex(R"(refused\s+failed\s+.*does not compile)")));
  CHECK(std::regex_search(out, std::regex(R"(daily\s+failed\s+.*needs timeframe 1d)")));
  CHECK(std::regex_search(out, std::regex(R"(rising\s+ok\s)")));
}
#endif
