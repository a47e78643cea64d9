// The live feed's command-line options and environment (as the platform
// passes them: BINANCE_API_URL, BINANCE_WS_URL, SYMBOL_COUNT, MIN_VOLUME,
// SYMBOLS), shared by `vyx run --live` and `vyx record --live`, and its
// health and metrics text.
#pragma once

#include <boost/program_options.hpp>

#include <string>

#include "vyx/runtime/feeds/binance_feed.hpp"

namespace vyx::cli {

struct live_cli {
  std::string timeframes = "1m,5m,15m,1h";
  std::string ca_file;
  unsigned grace_ms = 2000;
  unsigned idle_ms = 50'000;
  unsigned max_age_s = 23 * 3600 + 50 * 60;
  unsigned refresh_s = 3600;
  bool history_signals = false;
};

void add_live_options(boost::program_options::options_description& options, live_cli& settings);
// Throws std::runtime_error on a bad value (startup error).
runtime::binance_feed_options live_feed_options(const live_cli& settings, std::uint32_t history);

std::string live_health_json(const runtime::binance_health& h);
std::string live_metrics_text(const runtime::binance_health& h);

}  // namespace vyx::cli
