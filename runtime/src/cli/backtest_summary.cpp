// The backtest summary: one header line on the run, then one row per trader.
#include "backtest_summary.hpp"

#include <chrono>
#include <iomanip>

namespace vyx::cli {
using namespace vyx::runtime;

void write_summary(std::ostream& out, const std::map<std::string, trader_totals>& totals,
                   const std::vector<trader_status>& statuses, std::uint64_t ticks, double seconds,
                   const feed_stats& feed) {
  out << "backtest: " << ticks << " ticks, " << feed.candles << " candles in " << std::fixed
      << std::setprecision(2) << seconds << " s; dropped rows: " << feed.malformed << " malformed, "
      << feed.out_of_order << " out of order, " << feed.duplicate << " duplicate\n";
  out << std::left << std::setw(24) << "trader" << std::right << std::setw(10) << "signals"
      << std::setw(13) << "evaluations" << std::setw(8) << "faults" << std::setw(11) << "time ms"
      << "  status\n";
  for (const auto& st : statuses) {
    auto it = totals.find(st.id);
    trader_totals t = it == totals.end() ? trader_totals{} : it->second;
    std::string state = !st.loaded       ? "not loaded: " + st.reason
                        : st.quarantined ? "quarantined: " + st.reason
                        : st.enabled     ? "ok"
                                         : "disabled";
    out << std::left << std::setw(24) << st.id << std::right << std::setw(10) << t.signals
        << std::setw(13) << st.evaluations << std::setw(8) << st.faults << std::setw(11)
        << std::setprecision(1) << std::chrono::duration<double, std::milli>(t.time).count() << "  "
        << state << '\n';
  }
}

}  // namespace vyx::cli
