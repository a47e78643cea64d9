// `vyx`: the screening runtime's command line (backtest, run, status).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <ctime>
#include <exception>
#include <iostream>

#include "commands.hpp"

namespace vyx::cli {

std::optional<std::int64_t> parse_time(const std::string& text) {
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos)
    return std::stoll(text);
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &consumed) !=
      3)
    return std::nullopt;
  std::string rest = text.substr(static_cast<std::size_t>(consumed));
  if (!rest.empty() && rest.back() == 'Z') rest.pop_back();
  if (!rest.empty()) {
    int used = 0;
    if ((rest[0] != 'T' && rest[0] != ' ') ||
        std::sscanf(rest.c_str() + 1, "%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &used) != 2)
      return std::nullopt;
    std::string seconds = rest.substr(1 + static_cast<std::size_t>(used));
    if (!seconds.empty() && std::sscanf(seconds.c_str(), ":%2d", &tm.tm_sec) != 1)
      return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

}  // namespace vyx::cli

namespace {

constexpr const char* usage =
    "vyx — screen markets with compiled traders\n"
    "\n"
    "usage: vyx <command> [options]     (vyx <command> --help for its options)\n"
    "\n"
    "commands:\n"
    "  backtest   run traders over recorded candles: signals as JSON lines on stdout,\n"
    "             a summary per trader on stderr, optionally an HTML chart\n"
    "             (--watch: re-check, rebuild and re-run after every save of a trader)\n"
    "  run        the screening service fed by a replay or live Binance (--live): hot-reloads\n"
    "             the traders folder, writes signals to SQLite (default) or JSON lines,\n"
    "             serves /health and /metrics\n"
    "  record     record live Binance candles (--live --out DIR) in the replay layout\n"
    "  evaluate   every trader x symbol x cut-off of a compat dataset, in the Yaegi oracle's\n"
    "             line format (TRADERS_DIR DATASET [--window N])\n"
    "  status     trader statuses (and quarantine reasons) from the SQLite database\n"
    "  new        write a commented starter trader: vyx new NAME [--lang cpp|go] [--dir DIR]\n"
    "  data fetch download Binance history into the replay layout (resumable):\n"
    "             --symbols BTCUSDT,ETHUSDT --timeframes 1m,5m --days N [--out DIR]\n"
    "  healthcheck  exit 0 when a running vyx answers /health (a container's HEALTHCHECK)\n"
    "\n"
    "edit loop:   vyx new my_trader && vyx backtest --watch --trader my_trader.cpp --data DATA\n"
    "             (re-checks, rebuilds and re-runs on every save; docs/writing-traders.md)\n"
    "\n"
    "--window N (backtest, run, evaluate): the newest closed candles per timeframe a Go\n"
    "             (platform) trader sees, default 250 as the platform; C++ traders see all\n"
    "\n"
    "data layout: DATA/<SYMBOL>/<timeframe>.csv (Binance kline columns, header optional)\n"
    "             or DATA/<SYMBOL>/<timeframe>.json (indicator fixture); timeframes 1m 5m 15m 1h "
    "4h 1d\n";

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("vyx"));  // stdout carries signals only
  spdlog::set_pattern("[%H:%M:%S.%e] [%^%l%$] %v");
  if (const char* level = std::getenv("VYX_LOG")) spdlog::set_level(spdlog::level::from_str(level));
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    std::cout << usage;
    return argc < 2 ? 2 : 0;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::cout << "vyx " << vyx::cli::version << '\n';
    return 0;
  }
  std::string command = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  try {
    if (command == "backtest") return vyx::cli::backtest_command(args);
    if (command == "run") return vyx::cli::run_command(args);
    if (command == "status") return vyx::cli::status_command(args);
    if (command == "evaluate") return vyx::cli::evaluate_command(args);
    if (command == "record") return vyx::cli::record_command(args);
    if (command == "new") return vyx::cli::new_command(args);
    if (command == "data") return vyx::cli::data_command(args);
    if (command == "healthcheck") return vyx::cli::healthcheck_command(args);
  } catch (const std::exception& e) {
    std::cerr << "vyx " << command << ": " << e.what() << '\n';
    return 1;
  }
  std::cerr << "vyx: unknown command '" << command << "'\n\n" << usage;
  return 2;
}
