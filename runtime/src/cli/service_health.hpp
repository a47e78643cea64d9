// What `vyx run` serves on /health (JSON) and /metrics (Prometheus text):
// the counters the scheduler thread keeps, rendered on the server's thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "vyx/runtime/feeds/binance_feed.hpp"
#include "vyx/runtime/feeds/feed.hpp"
#include "vyx/runtime/pool/trader_status.hpp"

namespace vyx::cli {

// What /health and /metrics report; written by the scheduler thread.
struct service_state {
  using clock_type = std::chrono::steady_clock;
  clock_type::time_point started = clock_type::now();
  std::atomic<std::uint64_t> ticks{0}, evaluations{0}, signals{0}, faults{0}, reloads{0},
      reload_failures{0};
  std::atomic<std::int64_t> last_close_ms{0};
  std::atomic<double> last_tick_seconds{0}, max_tick_seconds{0}, last_reload_seconds{0};
  std::atomic<bool> feed_ended{false}, stopping{false};
  std::mutex mutex;  // guards the rest
  std::vector<runtime::trader_status> statuses;
  unsigned workers = 0;
  // Set once before the server starts: where signals go ("sqlite", "jsonl",
  // "postgres") and who compiles traders ("local", "remote" for the compile service, or
  // "none" in a vyx built without the local compiler and no service set).
  std::string database = "sqlite", compiler = "local";
};

// The platform's /health shape ({status: "healthy", timestamp, version,
// uptime (float seconds), run_mode, user_id, trader_count omitted when 0})
// plus "components": feed, database, workers, compile_service, each
// {status: ok|degraded|down, reason?}. `live` is null unless the feed is the
// live one (its health goes in a "binance" object).
std::string health_json(service_state& s, const std::string& mode,
                        const runtime::binance_feed* live);
// `extra`: more Prometheus lines appended (the Postgres side's).
std::string metrics_text(service_state& s, const runtime::feed& source,
                         const runtime::binance_feed* live, const std::string& extra);

}  // namespace vyx::cli
