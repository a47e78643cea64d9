// The `vyx` command end to end: backtest output, summary and chart (checked
// in headless chromium), `vyx run` serving /health and /metrics over HTTP,
// hot reload of the traders folder, SIGTERM, `vyx status`.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "support/child_process.hpp"
#include "support/http_get.hpp"
#include "support/temp_dir.hpp"

#ifdef VYX_COMMAND

using vyx::test::child_process;
using vyx::test::read_file;
using vyx::test::run_to_completion;
using vyx::test::temp_dir;

namespace {

const std::filesystem::path plugins = VYX_TEST_PLUGIN_DIR;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

void generate_market(const std::filesystem::path& dir, int symbols, int days) {
  temp_dir scratch;
  std::string out, err;
  REQUIRE(run_to_completion({VYX_GEN_MARKET, "--out", dir.string(), "--symbols",
                             std::to_string(symbols), "--days", std::to_string(days)},
                            scratch, out, err) == 0);
}

std::string field(const std::string& json_line, const std::string& name) {
  std::smatch m;
  std::regex re("\"" + name + "\":(\"[^\"]*\"|[^,}]*)");
  return std::regex_search(json_line, m, re) ? m[1].str() : "";
}

bool chromium_available() {
  return std::filesystem::exists("/usr/bin/chromium");
}

}  // namespace

TEST_CASE("vyx --help and backtest --help describe the commands") {
  temp_dir dir;
  std::string out, err;
  CHECK(run_to_completion({VYX_COMMAND, "--help"}, dir, out, err) == 0);
  CHECK(out.find("backtest") != std::string::npos);
  CHECK(out.find("status") != std::string::npos);
  CHECK(run_to_completion({VYX_COMMAND, "backtest", "--help"}, dir, out, err) == 0);
  CHECK(out.find("--trader") != std::string::npos);
  CHECK(out.find("--chart") != std::string::npos);
  CHECK(out.find("--summary-json") != std::string::npos);
  CHECK(out.find("hit rate") != std::string::npos);  // what the signal quality measures
  CHECK(WEXITSTATUS(run_to_completion({VYX_COMMAND, "backtest", "--data", "x"}, dir, out, err)) ==
        2);
  CHECK(err.find("--trader and --data are required") != std::string::npos);
  CHECK(WEXITSTATUS(run_to_completion({VYX_COMMAND, "frobnicate"}, dir, out, err)) == 2);
}

TEST_CASE("backtest: JSON lines on stdout, a summary per trader, the same with 1 or 2 workers") {
  temp_dir dir;
  generate_market(dir / "market", 6, 1);
  std::string out1, err1, out2, err2;
  const std::string rising = (plugins / "rising.so").string(),
                    probe = (plugins / "probe_mtf.so").string();
  REQUIRE(run_to_completion({VYX_COMMAND, "backtest", "--trader", rising, "--trader", probe,
                             "--data", (dir / "market").string(), "--workers", "1"},
                            dir, out1, err1) == 0);
  REQUIRE(run_to_completion({VYX_COMMAND, "backtest", "--trader", rising, "--trader", probe,
                             "--data", (dir / "market").string(), "--workers", "2"},
                            dir, out2, err2) == 0);
  auto lines = lines_of(out1);
  CHECK(lines.size() > 1000);
  CHECK(out1 == out2);
  std::set<std::string> traders;
  for (const auto& l : lines) traders.insert(field(l, "trader"));
  CHECK(traders == std::set<std::string>{"\"probe_mtf\"", "\"rising\""});
  CHECK(field(lines[0], "symbol").size() > 2);
  CHECK(!field(lines[0], "close_time").empty());
  CHECK(!field(lines[0], "price").empty());
  // 6 symbols x 1440 minutes for rising; probe_mtf on the 288 five-minute closes.
  CHECK(std::regex_search(err1, std::regex(R"(rising\s+\d+\s+8640\s+0\s)")));
  CHECK(std::regex_search(err1, std::regex(R"(probe_mtf\s+1728\s+1728\s+0\s)")));
  CHECK(err1.find("1440 ticks") != std::string::npos);
}

TEST_CASE("backtest --from/--to narrows the replay") {
  temp_dir dir;
  generate_market(dir / "market", 2, 1);
  std::string out, err;
  REQUIRE(run_to_completion({VYX_COMMAND, "backtest", "--trader", (plugins / "rising.so").string(),
                             "--data", (dir / "market").string(), "--from", "2024-03-01T01:00",
                             "--to", "2024-03-01T02:00Z"},
                            dir, out, err) == 0);
  CHECK(err.find("60 ticks") != std::string::npos);
  for (const auto& l : lines_of(out)) {
    auto close = std::stoll(field(l, "close_time"));
    CHECK(close > 1'709'254'800'000);
    CHECK(close < 1'709'258'400'000);
  }
}

TEST_CASE("backtest of a missing trader or bad data fails with a clear message") {
  temp_dir dir;
  std::string out, err;
  CHECK(WEXITSTATUS(run_to_completion({VYX_COMMAND, "backtest", "--trader",
                                       (dir / "nope.so").string(), "--data", dir.path().string()},
                                      dir, out, err)) == 1);
  CHECK(err.find("nope.so: no such trader file") != std::string::npos);
  CHECK(WEXITSTATUS(run_to_completion(
            {VYX_COMMAND, "backtest", "--trader", (plugins / "rising.so").string(), "--data",
             (dir / "empty").string()},
            dir, out, err)) == 1);
  CHECK(err.find("no such data directory") != std::string::npos);
}

TEST_CASE("backtest fails on an empty or reversed time range, and when a trader does not load") {
  temp_dir dir;
  generate_market(dir / "market", 2, 1);
  const std::string market = (dir / "market").string();
  const std::string rising = (plugins / "rising.so").string();
  std::string out, err;
  CHECK(
      WEXITSTATUS(run_to_completion({VYX_COMMAND, "backtest", "--trader", rising, "--data", market,
                                     "--from", "2024-03-01T02:00", "--to", "2024-03-01T01:00"},
                                    dir, out, err)) == 1);
  CHECK(err.find("is after --to") != std::string::npos);
  CHECK(WEXITSTATUS(run_to_completion(
            {VYX_COMMAND, "backtest", "--trader", rising, "--data", market, "--from", "2030-01-01"},
            dir, out, err)) == 1);
  CHECK(err.find("no candles in") != std::string::npos);

  // A file that is not a plugin: the other trader still runs and its signals
  // are out, the summary names the failure, the exit status reports it.
  std::ofstream(dir / "garbage.so") << "not an ELF file";
  CHECK(WEXITSTATUS(run_to_completion({VYX_COMMAND, "backtest", "--trader", rising, "--trader",
                                       (dir / "garbage.so").string(), "--data", market},
                                      dir, out, err)) == 1);
  CHECK_FALSE(lines_of(out).empty());
  CHECK(err.find("not loaded") != std::string::npos);
  CHECK(err.find("1 of 2 traders did not load") != std::string::npos);
}

namespace {

struct loaded_page {
  std::string body;     // the <body> tag after the page's script ran: its data-* state
  std::string console;  // chromium's log lines of the page's console (errors included)
};

// Loads a page in headless chromium, offline, and dumps its DOM.
loaded_page load_in_chromium(const std::filesystem::path& page, const std::string& fragment,
                             const temp_dir& dir) {
  temp_dir profile;
  std::string dom, chromium_err;
  REQUIRE(run_to_completion(
              {"/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--enable-logging=stderr", "--v=0", "--user-data-dir=" + profile.path().string(),
               "--dump-dom", "file://" + page.string() + fragment},
              dir, dom, chromium_err) == 0);
  loaded_page loaded;
  const auto body_at = dom.find("<body");
  REQUIRE(body_at != std::string::npos);
  loaded.body = dom.substr(body_at, dom.find('>', body_at) - body_at);
  for (const auto& line : lines_of(chromium_err))
    if (line.find(":CONSOLE") != std::string::npos) loaded.console += line + '\n';
  return loaded;
}

std::string attribute(const std::string& tag, const std::string& name) {
  std::smatch m;
  return std::regex_search(tag, m, std::regex(" " + name + "=\"([^\"]*)\"")) ? m[1].str() : "";
}

}  // namespace

TEST_CASE("the backtest report loads offline in headless chromium and marks a trader's signals") {
  if (!chromium_available()) {
    MESSAGE("chromium not installed (scripts/setup.sh installs it): report check skipped");
    return;
  }
  temp_dir dir;
  generate_market(dir / "market", 3, 1);
  const auto report = dir / "report.html";
  std::string out, err;
  REQUIRE(run_to_completion(
              {VYX_COMMAND, "backtest", "--trader", (plugins / "rising.so").string(), "--trader",
               (plugins / "probe_mtf.so").string(), "--data", (dir / "market").string(), "--chart",
               report.string(), "--chart-symbols", "2"},
              dir, out, err) == 0);
  std::smatch m;
  REQUIRE(std::regex_search(
      err, m, std::regex(R"(report: .* \((\d+) traders, (\d+) charts, (\d+) signal markers\))")));
  CHECK(m[1].str() == "2");
  CHECK(m[2].str() == "4");

  // The symbol where rising signalled most is charted; its markers are its signals.
  std::map<std::string, std::size_t> rising_signals;
  for (const auto& line : lines_of(out))
    if (field(line, "trader") == "\"rising\"") ++rising_signals[field(line, "symbol")];
  REQUIRE(!rising_signals.empty());
  auto busiest = std::max_element(rising_signals.begin(), rising_signals.end(),
                                  [](auto& a, auto& b) { return a.second < b.second; });
  const std::string symbol = busiest->first.substr(1, busiest->first.size() - 2);  // unquoted

  const auto html = read_file(report);
  CHECK(html.find("<script src") == std::string::npos);  // nothing to fetch: one file, offline
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("TradingView Lightweight Charts") != std::string::npos);  // inlined

  const loaded_page rising = load_in_chromium(report, "#trader=rising&symbol=" + symbol, dir);
  CHECK(attribute(rising.body, "data-rendered") == "ok");
  CHECK(attribute(rising.body, "data-error") == "");  // window.onerror and console.error land here
  CHECK(rising.console == "");
  CHECK(attribute(rising.body, "data-trader") == "rising");
  CHECK(attribute(rising.body, "data-symbol") == symbol);
  CHECK(attribute(rising.body, "data-markers") == std::to_string(busiest->second));
  CHECK(attribute(rising.body, "data-candles") == "1440");  // the whole day, not the store's window
  CHECK(attribute(rising.body, "data-series") == "2");  // avg3 over the price, change in a panel
  CHECK(attribute(rising.body, "data-panes") == "2");

  // probe_mtf signals on every 5m close: its first symbol, 288 candles, 288 markers, no series.
  const loaded_page probe = load_in_chromium(report, "#trader=probe_mtf", dir);
  CHECK(attribute(probe.body, "data-rendered") == "ok");
  CHECK(attribute(probe.body, "data-error") == "");
  CHECK(attribute(probe.body, "data-candles") == "288");
  CHECK(attribute(probe.body, "data-markers") == "288");
  CHECK(attribute(probe.body, "data-series") == "0");
  CHECK(attribute(probe.body, "data-panes") == "1");

  // The page says so when asked for what it does not hold (the error path is live).
  const loaded_page missing = load_in_chromium(report, "#trader=rising&symbol=NOPEUSDT", dir);
  CHECK(attribute(missing.body, "data-error").find("no chart of NOPEUSDT") != std::string::npos);
}

TEST_CASE("backtest signal quality: the summary table and --summary-json") {
  temp_dir dir;
  generate_market(dir / "market", 3, 1);
  const std::string market = (dir / "market").string(), rising = (plugins / "rising.so").string();
  std::string out, err;
  REQUIRE(run_to_completion({VYX_COMMAND, "backtest", "--trader", rising, "--data", market,
                             "--signals", (dir / "signals.jsonl").string(), "--summary-json", "-"},
                            dir, out, err) == 0);
  // 3 symbols x 1440 one-minute candles: the baseline at h = 1, 5, 20 leaves out h per symbol.
  CHECK(std::regex_search(err, std::regex(R"(rising\s+1m\s+1\s+\d+ .*\|\s+4317\s)")));
  CHECK(std::regex_search(err, std::regex(R"(rising\s+1m\s+5\s+\d+ .*\|\s+4305\s)")));
  CHECK(std::regex_search(err, std::regex(R"(rising\s+1m\s+20\s+\d+ .*\|\s+4260\s)")));
  const auto json = lines_of(out);
  REQUIRE(json.size() == 1);  // one object; the signals went to the file
  CHECK(json[0].find("\"id\":\"rising\"") != std::string::npos);
  CHECK(json[0].find("\"timeframe\":\"1m\"") != std::string::npos);
  CHECK(json[0].find("\"horizon\":20") != std::string::npos);
  CHECK(json[0].find("\"baseline\":{\"count\":4260,\"past_end\":60,") != std::string::npos);
  const auto signals = lines_of(read_file(dir / "signals.jsonl")).size();
  CHECK(json[0].find("\"signals\":" + std::to_string(signals) + ",\"unplaced\":0") !=
        std::string::npos);

  // With the signals on stdout, "-" would mix two formats: refused.
  CHECK(WEXITSTATUS(run_to_completion(
            {VYX_COMMAND, "backtest", "--trader", rising, "--data", market, "--summary-json", "-"},
            dir, out, err)) == 1);
  CHECK(err.find("give --signals FILE too") != std::string::npos);
}

namespace {

std::uint16_t wait_for_port(child_process& child) {
  REQUIRE(child.wait_for_stderr_line("listening on "));
  std::smatch m;
  std::string text = child.stderr_text();
  REQUIRE(std::regex_search(text, m, std::regex(R"(listening on [^:]+:(\d+))")));
  return static_cast<std::uint16_t>(std::stoi(m[1].str()));
}

long long metric(const std::string& text, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex("\n" + name + " ([0-9.e+]+)"))) return -1;
  return static_cast<long long>(std::stod(m[1].str()));
}

}  // namespace

TEST_CASE(
    "vyx run serves /health and /metrics, writes SQLite, stops on SIGTERM - vyx status reads it") {
  temp_dir dir;
  generate_market(dir / "market", 3, 1);
  std::filesystem::create_directories(dir / "traders");
  std::filesystem::copy_file(plugins / "rising.so", dir / "traders/rising.so");
  child_process service({VYX_COMMAND, "run", "--replay", (dir / "market").string(), "--traders",
                         (dir / "traders").string(), "--port", "0", "--address", "127.0.0.1",
                         "--speed", "0", "--db", (dir / "vyx.db").string()},
                        dir / "run.out");
  auto port = wait_for_port(service);
  REQUIRE(service.wait_for_stderr("replay ended"));

  auto health = vyx::test::http_get(port, "/health");
  CHECK(health.status == 200);
  CHECK(health.content_type == "application/json");
  for (const char* key :
       {"\"status\":\"healthy\"", "\"timestamp\":", "\"version\":\"0.1.0\"",
        "\"uptime\":", "\"run_mode\":\"replay\"", "\"user_id\":", "\"trader_count\":1"})
    CHECK_MESSAGE(health.body.find(key) != std::string::npos, key);

  auto metrics = vyx::test::http_get(port, "/metrics");
  CHECK(metrics.status == 200);
  CHECK(metrics.content_type.find("text/plain") == 0);
  CHECK(metric(metrics.body, "vyx_ticks_total") == 1440);
  CHECK(metric(metrics.body, "vyx_evaluations_total") == 1440 * 3);
  CHECK(metric(metrics.body, "vyx_signals_total") > 0);
  CHECK(metrics.body.find("# TYPE vyx_ticks_total counter") != std::string::npos);
  CHECK(metrics.body.find("vyx_trader_evaluations_total{trader=\"rising\"} 4320") !=
        std::string::npos);
  CHECK(vyx::test::http_get(port, "/nope").status == 404);

  service.signal(SIGTERM);
  int status = service.wait_exit();
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);

  std::string out, err;
  REQUIRE(run_to_completion({VYX_COMMAND, "status", "--db", (dir / "vyx.db").string()}, dir, out,
                            err) == 0);
  CHECK(std::regex_search(out, std::regex(R"(rising\s+ok\s+1m\s+4320\s+\d+\s+0)")));
}

TEST_CASE(
    "hot reload: a trader added while running signals from a tick boundary on, none skipped or "
    "doubled") {
  temp_dir dir;
  generate_market(dir / "market", 2, 1);
  const std::string to = "2024-03-01T06:00Z";  // 360 one-minute ticks
  std::string reference, err;
  REQUIRE(run_to_completion({VYX_COMMAND, "backtest", "--trader", (plugins / "rising.so").string(),
                             "--trader", (plugins / "probe_mtf.so").string(), "--data",
                             (dir / "market").string(), "--to", to},
                            dir, reference, err) == 0);

  std::filesystem::create_directories(dir / "traders");
  std::filesystem::copy_file(plugins / "rising.so", dir / "traders/rising.so");
  // 6000x: a minute every 10 ms, so the run lasts about 3.6 s.
  child_process service(
      {VYX_COMMAND, "run", "--replay", (dir / "market").string(), "--traders",
       (dir / "traders").string(), "--port", "0", "--address", "127.0.0.1", "--speed", "6000",
       "--to", to, "--jsonl", (dir / "signals.jsonl").string(), "--exit-at-end"},
      dir / "run.out");
  auto port = wait_for_port(service);
  // Wait (by polling the service's own counter) until it is well into the replay.
  long long ticks = 0;
  for (int i = 0; i < 2000 && ticks < 60; ++i) {
    ticks = metric(vyx::test::http_get(port, "/metrics").body, "vyx_ticks_total");
    if (ticks < 60) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE(ticks >= 60);
  // Appear atomically, as a deploy would: copy aside, then rename into the folder.
  std::filesystem::copy_file(plugins / "probe_mtf.so", dir / "probe_mtf.tmp");
  std::filesystem::rename(dir / "probe_mtf.tmp", dir / "traders/probe_mtf.so");
  int status = service.wait_exit();
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  CHECK(service.stderr_text().find("trader generation 2 (2 traders)") != std::string::npos);

  auto live = lines_of(read_file(dir / "signals.jsonl"));
  auto expected = lines_of(reference);
  std::vector<std::string> live_rising, live_probe, ref_rising, ref_probe;
  for (const auto& l : live)
    (field(l, "trader") == "\"rising\"" ? live_rising : live_probe).push_back(l);
  for (const auto& l : expected)
    (field(l, "trader") == "\"rising\"" ? ref_rising : ref_probe).push_back(l);
  // The trader that ran throughout: exactly the backtest's signals (no tick skipped or doubled).
  CHECK(live_rising == ref_rising);
  // The added trader: from the tick where its generation was switched in, exactly the backtest's
  // signals.
  std::smatch m;
  std::string log = service.stderr_text();
  REQUIRE(std::regex_search(log, m, std::regex(R"(tick (\d+): trader generation 2)")));
  const long long switch_tick = std::stoll(m[1].str());
  CHECK(switch_tick > 60);
  const long long boundary =
      1'709'251'200'000 + switch_tick * 60'000 - 1;  // that tick's close time
  std::vector<std::string> ref_tail;
  for (const auto& l : ref_probe)
    if (std::stoll(field(l, "close_time")) >= boundary) ref_tail.push_back(l);
  REQUIRE(!ref_tail.empty());
  CHECK(live_probe == ref_tail);
}

#endif  // VYX_COMMAND

#ifdef VYX_COMMAND
TEST_CASE("backtest compiles the C++ sample traders and charts their series") {
  temp_dir dir;
  generate_market(dir / "market", 4, 2);
  // One compiler cache per build tree: the SDK's precompiled header is built once.
  setenv("XDG_CACHE_HOME", VYX_TEST_CACHE_DIR, 1);
  const std::filesystem::path examples = VYX_EXAMPLES_DIR;
  std::string out, err;
  int status = run_to_completion(
      {VYX_COMMAND, "backtest", "--trader", (examples / "T1_rsi_oversold.cpp").string(), "--trader",
       (examples / "rsi_with_chart.cpp").string(), "--data", (dir / "market").string(), "--chart",
       (dir / "chart.html").string(), "--chart-symbols", "1"},
      dir, out, err);
  if (err.find("built without the compiler library") != std::string::npos) {
    MESSAGE("vyx built without vyx::compiler: compiled-trader test skipped");
    return;
  }
  REQUIRE_MESSAGE(WEXITSTATUS(status) == 0, err);
  // T1: RSI(14) < 30 on 5m, evaluated on every 5m close of every symbol.
  CHECK(std::regex_search(err, std::regex(R"(T1_rsi_oversold\s+\d+\s+2304\s+0\s)")));
  CHECK(std::regex_search(err, std::regex(R"(rsi_with_chart\s+\d+\s+768\s+0\s)")));
  std::size_t t1 = 0;
  for (const auto& line : lines_of(out)) {
    if (field(line, "trader") != "\"T1_rsi_oversold\"") continue;
    ++t1;
    CHECK(field(line, "timeframe") == "\"5m\"");
    CHECK(std::stod(field(line, "rsi")) < 30.0);
  }
  CHECK(t1 > 0);
  auto html = read_file(dir / "chart.html");
  CHECK(html.find("\"name\":\"rsi14\",\"kind\":\"line\",\"panel\":true") != std::string::npos);
  CHECK(html.find("\"name\":\"ema50\",\"kind\":\"line\",\"panel\":false") != std::string::npos);
}
#endif
