// `vyx status`: what the database says about each trader.
#include <boost/program_options.hpp>

#include <iomanip>
#include <iostream>

#include "commands.hpp"
#include "vyx/runtime/sinks/sqlite_sink.hpp"
#include "vyx/runtime/market/timeframe.hpp"
#include "vyx/runtime/screening/trader_signal.hpp"

namespace vyx::cli {
namespace po = boost::program_options;
using namespace vyx::runtime;

int status_command(const std::vector<std::string>& args) {
  po::options_description options("vyx status [--db PATH] [--json]");
  std::string db;
  options.add_options()("help,h", "this help")("db", po::value(&db)->default_value("vyx.db"),
                                               "the SQLite database `vyx run` writes")(
      "json", "one JSON object per trader instead of a table");
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << options;
    return 0;
  }
  auto rows = read_statuses(db);
  auto state_of = [](const trader_status& s) {
    return !s.loaded ? "failed" : s.quarantined ? "quarantined" : s.enabled ? "ok" : "disabled";
  };
  if (vm.count("json")) {
    for (const auto& r : rows)
      std::cout << "{\"trader\":\"" << json_escape(r.status.id) << "\",\"state\":\""
                << state_of(r.status) << "\",\"reason\":\"" << json_escape(r.status.reason)
                << "\",\"timeframes\":\"" << timeframe_list(r.status.required_timeframes)
                << "\",\"evaluations\":" << r.status.evaluations << ",\"signals\":" << r.signals
                << ",\"faults\":" << r.status.faults << ",\"updated\":\""
                << iso8601_utc(r.updated_at) << "\"}\n";
    return 0;
  }
  if (rows.empty()) {
    std::cout << "no traders recorded in " << db << '\n';
    return 0;
  }
  std::cout << std::left << std::setw(22) << "trader" << std::setw(13) << "state" << std::setw(10)
            << "tf" << std::right << std::setw(12) << "evaluations" << std::setw(9) << "signals"
            << std::setw(8) << "faults"
            << "  reason\n";
  for (const auto& r : rows)
    std::cout << std::left << std::setw(22) << r.status.id << std::setw(13) << state_of(r.status)
              << std::setw(10) << timeframe_list(r.status.required_timeframes) << std::right
              << std::setw(12) << r.status.evaluations << std::setw(9) << r.signals << std::setw(8)
              << r.status.faults << "  " << r.status.reason << '\n';
  std::cout << "(updated " << iso8601_utc(rows.front().updated_at) << ")\n";
  return 0;
}

}  // namespace vyx::cli
