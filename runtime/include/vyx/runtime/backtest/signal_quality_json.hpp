// Signal quality as JSON, the one shape both `--summary-json` and the HTML
// report carry: statistics as fractions (0.01 = 1 %), null where there is no return.
#pragma once

#include "vyx/common/json_writer.hpp"
#include "vyx/runtime/backtest/signal_quality.hpp"

namespace vyx::runtime {

// {"count":..,"past_end":..,"mean":..,"median":..,"hit_rate":..,"best":..,"worst":..}
void write_json(common::json_writer& out, const return_stats& stats);
// {"timeframe":"5m","signals":..,"unplaced":..,"horizons":[{"horizon":1,"signals":{..},
//  "baseline":{..}},..],"symbols":[{"symbol":..,"signals":..,"horizons":[..]},..]}
void write_json(common::json_writer& out, const trader_quality& quality);

}  // namespace vyx::runtime
