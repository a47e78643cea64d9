// `vyx data fetch`: Binance kline history into the replay layout that
// `vyx backtest --data` reads (and `vyx record` writes), resumable.
#include <boost/program_options.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "history_download.hpp"
#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::cli {
namespace po = boost::program_options;

namespace {

constexpr const char* data_usage =
    "usage: vyx data fetch --symbols BTCUSDT,ETHUSDT --timeframes 1m,5m --days N [--out DIR]\n"
    "                      [--base-url URL] [--ca-file FILE]\n";

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) items.push_back(item);
  return items;
}

// Binance's names are upper-case letters and digits; a lower-case name is taken as meant.
bool normalise_symbol(std::string& symbol) {
  if (symbol.size() < 2 || symbol.size() > 20) return false;
  for (char& c : symbol) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return true;
}

int fetch_command(const std::vector<std::string>& args) {
  po::options_description options("vyx data fetch [options]");
  std::string symbols, timeframes;
  history_request request;
  request.out = "data";
  std::string out = request.out.string();
  options.add_options()("help,h", "this help")(
      "symbols", po::value(&symbols), "comma-separated Binance symbols, e.g. BTCUSDT,ETHUSDT")(
      "timeframes", po::value(&timeframes), "comma-separated: 1m 5m 15m 1h 4h 1d")(
      "days", po::value(&request.days), "how many days back from now (the exchange's clock)")(
      "out", po::value(&out)->default_value(out), "DATA folder: DATA/<SYMBOL>/<tf>.csv")(
      "base-url", po::value(&request.base_url)->default_value(request.base_url),
      "the REST API (a mock or a mirror for tests: http://127.0.0.1:PORT)")(
      "ca-file", po::value(&request.ca_file), "trust this CA instead of the system store");
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << data_usage << '\n'
              << options
              << "\nWrites the Binance kline columns, one row per closed candle, oldest first.\n"
                 "A rerun continues each file after its last stored candle (a torn last line\n"
                 "left by an interrupted run is cut off first), so stopping and rerunning never\n"
                 "duplicates or skips a candle. Requests stay within Binance's weight limit\n"
                 "(X-MBX-USED-WEIGHT-1M) and wait out HTTP 429 Retry-After; HTTP 418 (banned)\n"
                 "stops the run.\n";
    return 0;
  }
  if (symbols.empty() || timeframes.empty() || !vm.count("days")) {
    std::cerr << "vyx data fetch: --symbols, --timeframes and --days are required\n\n"
              << data_usage;
    return 2;
  }
  for (auto symbol : split_list(symbols)) {
    if (!normalise_symbol(symbol)) {
      std::cerr << "vyx data fetch: bad symbol '" << symbol
                << "': Binance symbols are 2 to 20 letters and digits, e.g. BTCUSDT\n";
      return 2;
    }
    request.symbols.push_back(symbol);
  }
  for (const auto& name : split_list(timeframes)) {
    auto tf = runtime::parse_timeframe(name);
    if (!tf) {
      std::cerr << "vyx data fetch: unknown timeframe '" << name << "' (1m 5m 15m 1h 4h 1d)\n";
      return 2;
    }
    if (std::find(request.timeframes.begin(), request.timeframes.end(), *tf) ==
        request.timeframes.end())
      request.timeframes.push_back(*tf);
  }
  if (request.symbols.empty() || request.timeframes.empty()) {
    std::cerr << "vyx data fetch: --symbols and --timeframes need at least one name each\n";
    return 2;
  }
  if (request.days == 0 || request.days > 3650) {
    std::cerr << "vyx data fetch: --days must be between 1 and 3650\n";
    return 2;
  }
  request.out = out;
  history_download download(request);
  const std::string error = download.run([](const history_progress& p) {
    std::cerr << p.symbol << ' ' << runtime::timeframe_name(p.timeframe) << ": " << p.rows_added
              << " rows added" << (p.resumed ? " (resumed after the stored rows)" : "") << '\n';
  });
  if (!error.empty()) {
    std::cerr << "vyx data fetch: " << error
              << "\n(rows fetched so far are kept; rerun to continue)\n";
    return 1;
  }
  std::cerr << "vyx data fetch: done; vyx backtest --data " << out << " --trader ...\n";
  return 0;
}

}  // namespace

int data_command(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::cerr << "vyx data: a subcommand is required\n\n" << data_usage;
    return 2;
  }
  if (args[0] == "--help" || args[0] == "-h") {
    std::cout << data_usage << "  (vyx data fetch --help for its options)\n";
    return 0;
  }
  if (args[0] == "fetch") return fetch_command({args.begin() + 1, args.end()});
  std::cerr << "vyx data: unknown subcommand '" << args[0] << "'\n\n" << data_usage;
  return 2;
}

}  // namespace vyx::cli
