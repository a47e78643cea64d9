// The backtest summary: one header line on the run, one row per trader, then
// the signal quality table (forward returns after signals vs every candle).
#include "backtest_summary.hpp"

#include <chrono>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "vyx/common/json_writer.hpp"
#include "vyx/runtime/backtest/signal_quality_json.hpp"
#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::cli {
using namespace vyx::runtime;

namespace {

std::string state_of(const trader_status& st) {
  return !st.loaded       ? "not loaded: " + st.reason
         : st.quarantined ? "quarantined: " + st.reason
         : st.enabled     ? "ok"
                          : "disabled";
}

trader_totals totals_of(const backtest_outcome& outcome, const std::string& id) {
  auto it = outcome.totals.find(id);
  return it == outcome.totals.end() ? trader_totals{} : it->second;
}

// A fraction as a signed percentage with three decimals, "-" when there is none.
std::string percent(double fraction) {
  if (!std::isfinite(fraction)) return "-";
  std::ostringstream out;
  out << std::showpos << std::fixed << std::setprecision(3) << fraction * 100 << '%';
  return out.str();
}

std::string share(double fraction) {
  if (!std::isfinite(fraction)) return "-";
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << fraction * 100 << '%';
  return out.str();
}

void write_quality(std::ostream& out, const std::vector<trader_quality>& qualities) {
  if (qualities.empty()) return;
  out << "\nsignal quality: return h candles after each signal (close[t+h]/close[t] - 1, t the "
         "signal's candle)\nvs the same after every candle of the screened symbols (baseline); "
         "signals whose horizon runs past the data are left out (past end)\n";
  out << std::left << std::setw(24) << "trader" << std::setw(4) << "tf" << std::right
      << std::setw(4) << "h" << std::setw(9) << "signals" << std::setw(10) << "mean"
      << std::setw(10) << "median" << std::setw(7) << "hit" << std::setw(10) << "best"
      << std::setw(10) << "worst" << std::setw(9) << "past end"
      << "  |" << std::setw(9) << "candles" << std::setw(10) << "mean" << std::setw(10) << "median"
      << std::setw(7) << "hit" << '\n';
  for (const auto& q : qualities) {
    for (const auto& h : q.horizons) {
      out << std::left << std::setw(24) << q.trader << std::setw(4) << timeframe_name(q.timeframe)
          << std::right << std::setw(4) << h.horizon << std::setw(9) << h.signals.count
          << std::setw(10) << percent(h.signals.mean) << std::setw(10) << percent(h.signals.median)
          << std::setw(7) << share(h.signals.hit_rate) << std::setw(10) << percent(h.signals.best)
          << std::setw(10) << percent(h.signals.worst) << std::setw(9) << h.signals.past_end
          << "  |" << std::setw(9) << h.baseline.count << std::setw(10) << percent(h.baseline.mean)
          << std::setw(10) << percent(h.baseline.median) << std::setw(7)
          << share(h.baseline.hit_rate) << '\n';
    }
    if (q.unplaced)
      out << "  " << q.trader << ": " << q.unplaced << " signals not on its "
          << timeframe_name(q.timeframe) << " candles were not measured\n";
  }
}

}  // namespace

void write_summary(std::ostream& out, const backtest_outcome& outcome) {
  const feed_stats& feed = outcome.feed;
  out << "backtest: " << outcome.ticks << " ticks, " << feed.candles << " candles in " << std::fixed
      << std::setprecision(2) << outcome.seconds << " s; dropped rows: " << feed.malformed
      << " malformed, " << feed.out_of_order << " out of order, " << feed.duplicate
      << " duplicate\n";
  out << std::left << std::setw(24) << "trader" << std::right << std::setw(10) << "signals"
      << std::setw(13) << "evaluations" << std::setw(8) << "faults" << std::setw(11) << "time ms"
      << "  status\n";
  for (const auto& st : outcome.statuses) {
    const trader_totals t = totals_of(outcome, st.id);
    out << std::left << std::setw(24) << st.id << std::right << std::setw(10) << t.signals
        << std::setw(13) << st.evaluations << std::setw(8) << st.faults << std::setw(11)
        << std::setprecision(1) << std::chrono::duration<double, std::milli>(t.time).count() << "  "
        << state_of(st) << '\n';
  }
  write_quality(out, outcome.qualities);
}

void write_summary_json(std::ostream& out, const backtest_outcome& outcome) {
  common::json_writer json;
  json.begin_object()
      .key("ticks")
      .value(outcome.ticks)
      .key("candles")
      .value(outcome.feed.candles)
      .key("seconds")
      .value(outcome.seconds)
      .key("dropped_rows")
      .begin_object()
      .key("malformed")
      .value(outcome.feed.malformed)
      .key("out_of_order")
      .value(outcome.feed.out_of_order)
      .key("duplicate")
      .value(outcome.feed.duplicate)
      .end_object();
  json.key("traders").begin_array();
  for (const auto& st : outcome.statuses) {
    const trader_totals t = totals_of(outcome, st.id);
    json.begin_object()
        .key("id")
        .value(st.id)
        .key("status")
        .value(state_of(st))
        .key("signals")
        .value(t.signals)
        .key("evaluations")
        .value(st.evaluations)
        .key("faults")
        .value(st.faults)
        .key("time_ms")
        .value(std::chrono::duration<double, std::milli>(t.time).count());
    // A trader that did not load, or whose timeframes the data lacks, has no quality.
    for (const auto& q : outcome.qualities)
      if (q.trader == st.id) {
        json.key("quality");
        write_json(json, q);
      }
    json.end_object();
  }
  json.end_array().end_object();
  out << json.str() << '\n';
}

}  // namespace vyx::cli
