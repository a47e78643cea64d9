// Signal quality written with the common JSON writer (non-finite numbers become null).
#include "vyx/runtime/backtest/signal_quality_json.hpp"

#include <cstdint>

#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime {
namespace {

void write_horizons(common::json_writer& out, const std::vector<horizon_quality>& horizons) {
  out.begin_array();
  for (const auto& h : horizons) {
    out.begin_object().key("horizon").value(static_cast<std::uint64_t>(h.horizon));
    out.key("signals");
    write_json(out, h.signals);
    out.key("baseline");
    write_json(out, h.baseline);
    out.end_object();
  }
  out.end_array();
}

}  // namespace

void write_json(common::json_writer& out, const return_stats& stats) {
  out.begin_object()
      .key("count")
      .value(static_cast<std::uint64_t>(stats.count))
      .key("past_end")
      .value(static_cast<std::uint64_t>(stats.past_end))
      .key("mean")
      .value(stats.mean)
      .key("median")
      .value(stats.median)
      .key("hit_rate")
      .value(stats.hit_rate)
      .key("best")
      .value(stats.best)
      .key("worst")
      .value(stats.worst)
      .end_object();
}

void write_json(common::json_writer& out, const trader_quality& quality) {
  out.begin_object()
      .key("timeframe")
      .value(timeframe_name(quality.timeframe))
      .key("signals")
      .value(static_cast<std::uint64_t>(quality.signals))
      .key("unplaced")
      .value(static_cast<std::uint64_t>(quality.unplaced))
      .key("horizons");
  write_horizons(out, quality.horizons);
  out.key("symbols").begin_array();
  for (const auto& s : quality.symbols) {
    out.begin_object()
        .key("symbol")
        .value(s.symbol)
        .key("signals")
        .value(static_cast<std::uint64_t>(s.signals))
        .key("horizons");
    write_horizons(out, s.horizons);
    out.end_object();
  }
  out.end_array().end_object();
}

}  // namespace vyx::runtime
