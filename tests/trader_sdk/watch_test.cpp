// `vyx backtest --watch` as a real process on a small market: the first
// summary, a good edit saved the way editors save (temp file + rename) that
// changes the signal count, a broken edit that prints its diagnostic and
// keeps watching, and SIGTERM ending it with exit 0.
#include <doctest/doctest.h>

#include <csignal>
#include <regex>

#include "command_runner.hpp"

using namespace vyx::test;
namespace fs = std::filesystem;

namespace {

// Signals per run of the trader `edge`, read from the summary rows printed so far.
std::vector<long> edge_signal_counts(const std::string& err) {
  static const std::regex row(R"(\nedge\s+(\d+)\s+\d+\s+\d+\s)");
  std::vector<long> counts;
  for (std::sregex_iterator it(err.begin(), err.end(), row), end; it != end; ++it)
    counts.push_back(std::stol((*it)[1]));
  return counts;
}

// An editor's save: the new text in a temporary file of the same folder, renamed over the old.
void save_like_an_editor(const fs::path& file, const std::string& text) {
  const auto temp = file.parent_path() / ("." + file.filename().string() + ".swp");
  write_file(temp, text);
  fs::rename(temp, file);
}

constexpr const char* every_close = R"(// signals on every 5m close
bool filter(const vyx::Market& m) {
  return m.klines("5m").size() > 0;
}
)";
constexpr const char* after_warm_up = R"(// signals once 100 closed 5m candles are there
bool filter(const vyx::Market& m) {
  return m.klines("5m").size() > 100;
}
)";
constexpr const char* broken = R"(// a typo
bool filter(const vyx::Market& m) {
  return m.klines("5m").size() > threshold;
}
)";

}  // namespace

TEST_CASE(
    "backtest --watch re-runs after a good edit, prints a broken edit's diagnostic, exits 0 on "
    "SIGTERM") {
  temp_dir dir;
  REQUIRE(run_command(
              {VYX_GEN_MARKET, "--out", (dir / "market").string(), "--symbols", "2", "--days", "1"},
              dir)
              .exit_code == 0);
  const auto trader = dir / "traders" / "edge.cpp";
  write_file(trader, every_close);
  setenv("XDG_CACHE_HOME", VYX_TEST_CACHE_DIR, 1);
  child_process watch({VYX_COMMAND, "backtest", "--watch", "--trader", trader.string(), "--data",
                       (dir / "market").string(), "--workers", "1"},
                      dir / "signals.jsonl");

  // 2 symbols x 288 five-minute closes a day, every one a signal.
  const bool first = watch.wait_for_stderr_until(
      [](const std::string& err) {
        return !edge_signal_counts(err).empty() ||
               err.find("without the compiler") != std::string::npos;
      },
      std::chrono::seconds(240));
  if (watch.stderr_text().find("without the compiler") != std::string::npos) {
    MESSAGE("vyx built without vyx::compiler: --watch test skipped");
    return;
  }
  REQUIRE_MESSAGE(first, watch.stderr_text());
  CHECK(edge_signal_counts(watch.stderr_text()) == std::vector<long>{576});
  REQUIRE(watch.wait_for_stderr("watching for changes", std::chrono::seconds(30)));

  // The first 100 closes of each symbol no longer signal.
  save_like_an_editor(trader, after_warm_up);
  REQUIRE_MESSAGE(watch.wait_for_stderr_until(
                      [](const std::string& err) { return edge_signal_counts(err).size() >= 2; },
                      std::chrono::seconds(120)),
                  watch.stderr_text());
  CHECK(edge_signal_counts(watch.stderr_text()) == std::vector<long>{576, 376});

  const auto before_broken = watch.stderr_text().size();
  save_like_an_editor(trader, broken);
  REQUIRE_MESSAGE(watch.wait_for_stderr_until(
                      [&](const std::string& err) {
                        return err.find("do not compile; not run", before_broken) !=
                               std::string::npos;
                      },
                      std::chrono::seconds(120)),
                  watch.stderr_text());
  const std::string after = watch.stderr_text().substr(before_broken);
  // file:line:col as vyxc prints it, at the typo.
  CHECK_MESSAGE(std::regex_search(after, std::regex(R"(edge\.cpp:3:\d+: error: .*threshold)")),
                after);
  CHECK(edge_signal_counts(watch.stderr_text()).size() == 2);  // nothing ran

  // Still watching: fixing it runs again.
  REQUIRE(watch.wait_for_stderr_until(
      [&](const std::string& err) {
        return err.find("watching for changes", before_broken) != std::string::npos;
      },
      std::chrono::seconds(30)));
  save_like_an_editor(trader, every_close);
  REQUIRE_MESSAGE(watch.wait_for_stderr_until(
                      [](const std::string& err) { return edge_signal_counts(err).size() >= 3; },
                      std::chrono::seconds(120)),
                  watch.stderr_text());
  CHECK(edge_signal_counts(watch.stderr_text()).back() == 576);

  watch.signal(SIGTERM);
  const int status = watch.wait_exit();
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(watch.stderr_text().find("--watch: stopped") != std::string::npos);
}

TEST_CASE("backtest --watch on a traders folder picks up a trader file added to it") {
  temp_dir dir;
  REQUIRE(run_command(
              {VYX_GEN_MARKET, "--out", (dir / "market").string(), "--symbols", "2", "--days", "1"},
              dir)
              .exit_code == 0);
  write_file(dir / "traders" / "edge.cpp", every_close);
  write_file(dir / "traders" / "notes.txt", "not a trader\n");
  setenv("XDG_CACHE_HOME", VYX_TEST_CACHE_DIR, 1);
  child_process watch({VYX_COMMAND, "backtest", "--watch", "--trader", (dir / "traders").string(),
                       "--data", (dir / "market").string(), "--workers", "1"},
                      dir / "signals.jsonl");
  const bool first = watch.wait_for_stderr_until(
      [](const std::string& err) {
        return err.find("watching for changes") != std::string::npos ||
               err.find("without the compiler") != std::string::npos;
      },
      std::chrono::seconds(240));
  if (watch.stderr_text().find("without the compiler") != std::string::npos) return;
  REQUIRE_MESSAGE(first, watch.stderr_text());
  CHECK_MESSAGE(edge_signal_counts(watch.stderr_text()) == std::vector<long>{576},
                watch.stderr_text());

  // A file that is not a trader changes nothing; a new trader runs beside the first.
  write_file(dir / "traders" / "notes.txt", "still not a trader\n");
  save_like_an_editor(dir / "traders" / "late.cpp", after_warm_up);
  static const std::regex late_row(R"(\nlate\s+376\s)");
  REQUIRE_MESSAGE(watch.wait_for_stderr_until(
                      [](const std::string& err) { return std::regex_search(err, late_row); },
                      std::chrono::seconds(120)),
                  watch.stderr_text());
  CHECK_MESSAGE((edge_signal_counts(watch.stderr_text()) == std::vector<long>{576, 576}),
                watch.stderr_text());

  watch.signal(SIGINT);
  const int status = watch.wait_exit();
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
