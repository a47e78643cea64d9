// `--window N`: the newest closed candles per timeframe a Go (platform) trader
// sees. The pool hands it to every trader as vyx_market.window_bars, through
// the sandboxed workers and the in-process backend alike; `vyx run` and
// `vyx backtest` take it from the command line (checked) and keep at least
// that many candles; a Go trader's MarketData holds exactly that many.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "support/child_process.hpp"
#include "support/market_time.hpp"
#include "support/temp_dir.hpp"
#include "vyx/runtime/pool/worker_pool.hpp"

using namespace vyx::runtime;
using vyx::test::temp_dir;

namespace go_window_test {

const std::filesystem::path test_plugin_dir = VYX_TEST_PLUGIN_DIR;

// What window_probe reported on one 1m tick of a one-symbol store.
double window_seen_by_probe(worker_pool_options options) {
  candle_store_layout layout;
  layout.symbols = {"BTCUSDT"};
  layout.timeframes = 1u << VYX_TF_1M;
  layout.capacity = 10;
  candle_store store = candle_store::create(layout);
  const std::int64_t open = vyx::test::t0;
  store.append(0, VYX_TF_1M, candle{open, open + vyx::test::minute - 1, 1, 1, 1, 1, 1, 1, 1, 1});
  options.min_workers = options.max_workers = 1;
  worker_pool pool(store, options);
  const load_report load =
      pool.load({trader_spec{"window_probe", test_plugin_dir / "window_probe.so", true}});
  REQUIRE(load.failed.empty());
  const tick_result r = pool.run_tick({open + vyx::test::minute - 1, 1u << VYX_TF_1M});
  REQUIRE(r.faults.empty());
  REQUIRE(r.matches.size() == 1);
  REQUIRE(r.matches[0].values.size() == 1);
  CHECK(r.matches[0].values[0].name == "window_bars");
  return r.matches[0].values[0].value;
}

}  // namespace go_window_test

using namespace go_window_test;

TEST_CASE("the pool hands its go_window_bars to every trader, sandboxed or in process") {
  worker_pool_options options;
  CHECK(window_seen_by_probe(options) == 250);  // the platform's window by default
  options.go_window_bars = 77;
  CHECK(window_seen_by_probe(options) == 77);
  options.sandbox = false;
  CHECK(window_seen_by_probe(options) == 77);
  options.go_window_bars = 0;  // as a host that zeroes the market: the SDK reads it as 250
  CHECK(window_seen_by_probe(options) == 0);
}

#ifdef VYX_COMMAND

using vyx::test::child_process;
using vyx::test::read_file;
using vyx::test::run_to_completion;

namespace go_window_test {

void generate_one_symbol_market(const std::filesystem::path& dir, int days) {
  temp_dir scratch;
  std::string out, err;
  REQUIRE(run_to_completion({VYX_GEN_MARKET, "--out", dir.string(), "--symbols", "1", "--days",
                             std::to_string(days)},
                            scratch, out, err) == 0);
}

// The signals (JSON lines) of `trader`, and for each the value of `window_bars` if it has one.
std::vector<std::string> signals_of(const std::string& jsonl, const std::string& trader) {
  std::vector<std::string> lines;
  std::istringstream in(jsonl);
  for (std::string line; std::getline(in, line);)
    if (line.find("\"trader\":\"" + trader + "\"") != std::string::npos) lines.push_back(line);
  return lines;
}

bool every_signal_reports_window(const std::vector<std::string>& lines, const std::string& n) {
  for (const auto& l : lines)
    if (!std::regex_search(l, std::regex("\"window_bars\":" + n + "(\\.0+)?[,}]"))) return false;
  return !lines.empty();
}

}  // namespace go_window_test

TEST_CASE("--window is refused outside 1..100000, with a clear error, by backtest and run") {
  temp_dir dir;
  std::filesystem::create_directories(dir / "traders");
  const std::string probe = (test_plugin_dir / "window_probe.so").string();
  std::string out, err;
  for (const std::string bad : {"0", "-1", "100001", "abc", "2.5"}) {
    CAPTURE(bad);
    int status = run_to_completion({VYX_COMMAND, "backtest", "--trader", probe, "--data",
                                    dir.path().string(), "--window", bad},
                                   dir, out, err);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) != 0);
    CHECK(err.find("--window") != std::string::npos);
    CHECK(out.empty());
    status = run_to_completion(
        {VYX_COMMAND, "run", "--replay", dir.path().string(), "--traders",
         (dir / "traders").string(), "--port", "0", "--jsonl", "-", "--window", bad},
        dir, out, err);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) != 0);
    CHECK(err.find("--window") != std::string::npos);
  }
  run_to_completion(
      {VYX_COMMAND, "backtest", "--trader", probe, "--data", dir.path().string(), "--window", "0"},
      dir, out, err);
  CHECK(err.find("--window 0: must be 1 to 100000") != std::string::npos);
}

TEST_CASE("backtest --help and run --help say --window is for Go traders") {
  temp_dir dir;
  std::string out, err;
  for (const char* command : {"backtest", "run"}) {
    CAPTURE(command);
    REQUIRE(run_to_completion({VYX_COMMAND, command, "--help"}, dir, out, err) == 0);
    CHECK(std::regex_search(out,
                            std::regex(R"(--window arg \(=250\)\s+Go \(platform\) traders only)")));
  }
}

TEST_CASE("backtest and run hand --window to the traders, by default the platform's 250") {
  temp_dir dir;
  generate_one_symbol_market(dir / "market", 1);
  const std::string market = (dir / "market").string(), to = "2024-03-01T00:30Z";
  const std::string probe = (test_plugin_dir / "window_probe.so").string();
  std::string out, err;
  REQUIRE(
      run_to_completion({VYX_COMMAND, "backtest", "--trader", probe, "--data", market, "--to", to},
                        dir, out, err) == 0);
  CHECK(every_signal_reports_window(signals_of(out, "window_probe"), "250"));
  REQUIRE(run_to_completion({VYX_COMMAND, "backtest", "--trader", probe, "--data", market, "--to",
                             to, "--window", "77"},
                            dir, out, err) == 0);
  CHECK(every_signal_reports_window(signals_of(out, "window_probe"), "77"));

  std::filesystem::create_directories(dir / "traders");
  std::filesystem::copy_file(probe, dir / "traders/window_probe.so");
  REQUIRE(run_to_completion(
              {VYX_COMMAND, "run", "--replay", market, "--traders", (dir / "traders").string(),
               "--port", "0", "--address", "127.0.0.1", "--speed", "0", "--to", to, "--jsonl",
               (dir / "signals.jsonl").string(), "--exit-at-end", "--window", "90"},
              dir, out, err) == 0);
  CHECK(every_signal_reports_window(signals_of(read_file(dir / "signals.jsonl"), "window_probe"),
                                    "90"));
}

TEST_CASE("a Go trader's MarketData holds the newest --window candles, at most what is kept") {
  temp_dir dir;
  generate_one_symbol_market(dir / "market", 3);  // 864 five-minute candles per symbol
  setenv("XDG_CACHE_HOME", VYX_TEST_CACHE_DIR, 1);
  // Each is evaluated on every 5m close: at the k-th, k closed 5m candles exist.
  std::ofstream(dir / "len_is_100.go") << "return len(data.Klines[\"5m\"]) == 100\n";
  std::ofstream(dir / "len_over_100.go") << "return len(data.Klines[\"5m\"]) > 100\n";
  std::ofstream(dir / "len_over_500.go") << "return len(data.Klines[\"5m\"]) > 500\n";
  const std::string market = (dir / "market").string();
  auto backtest = [&](std::vector<std::string> extra, std::string& out, std::string& err) {
    std::vector<std::string> argv = {VYX_COMMAND, "backtest",
                                     "--trader",  (dir / "len_is_100.go").string(),
                                     "--trader",  (dir / "len_over_100.go").string(),
                                     "--trader",  (dir / "len_over_500.go").string(),
                                     "--data",    market};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_to_completion(argv, dir, out, err);
  };
  std::string out, err;
  int status = backtest({}, out, err);
  if (err.find("built without the compiler library") != std::string::npos) {
    MESSAGE("vyx built without vyx::compiler: Go trader test skipped");
    return;
  }
  REQUIRE_MESSAGE(WEXITSTATUS(status) == 0, err);
  // The platform's 250: 100 candles only at the 100th close, more than 100
  // from the 101st on, never more than 500 (although the store keeps 500).
  CHECK(signals_of(out, "len_is_100").size() == 1);
  CHECK(signals_of(out, "len_over_100").size() == 864 - 100);
  CHECK(signals_of(out, "len_over_500").empty());

  REQUIRE_MESSAGE(WEXITSTATUS(backtest({"--window", "100"}, out, err)) == 0, err);
  CHECK(signals_of(out, "len_is_100").size() == 864 - 99);
  CHECK(signals_of(out, "len_over_100").empty());

  // A window past the default capacity raises it: 600 candles are kept and seen.
  REQUIRE_MESSAGE(WEXITSTATUS(backtest({"--window", "600"}, out, err)) == 0, err);
  CHECK(signals_of(out, "len_over_500").size() == 864 - 500);

  // A window past an explicit --capacity: the trader sees what the store has, and is warned of.
  REQUIRE_MESSAGE(WEXITSTATUS(backtest({"--window", "600", "--capacity", "500"}, out, err)) == 0,
                  err);
  CHECK(signals_of(out, "len_over_500").empty());
  CHECK(signals_of(out, "len_over_100").size() == 864 - 100);
  CHECK(err.find("--window 600 is more than --capacity 500") != std::string::npos);
}

#endif  // VYX_COMMAND
