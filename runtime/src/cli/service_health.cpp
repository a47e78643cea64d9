// /health and /metrics of `vyx run`, rendered from its service_state.
#include "service_health.hpp"

#include <cstdlib>
#include <sstream>

#include "commands.hpp"
#include "live_options.hpp"
#include "vyx/runtime/screening/trader_signal.hpp"

namespace vyx::cli {
using namespace vyx::runtime;
using clock_type = service_state::clock_type;

namespace {

struct component {
  std::string status = "ok", reason;
};

void write_component(std::ostringstream& out, const char* name, const component& c,
                     const std::string& more) {
  out << '"' << name << "\":{\"status\":\"" << c.status << '"';
  if (!c.reason.empty()) out << ",\"reason\":\"" << json_escape(c.reason) << '"';
  out << more << '}';
}

}  // namespace

std::string health_json(service_state& s, const std::string& mode, const binance_feed* live) {
  const double uptime = std::chrono::duration<double>(clock_type::now() - s.started).count();
  const char* user = std::getenv("USER_ID");
  std::size_t traders = 0, quarantined = 0, failed = 0, compile_failures = 0;
  unsigned workers = 0;
  std::string problems;  // every trader not running, with its reason
  {
    std::lock_guard lock(s.mutex);
    for (const auto& t : s.statuses) {
      traders += t.loaded;
      quarantined += t.quarantined;
      failed += t.enabled && !t.loaded;
      compile_failures += t.enabled && !t.loaded && t.reason.find("compile") != std::string::npos;
      if (t.enabled && (!t.loaded || t.quarantined))
        problems += std::string(problems.empty() ? "" : ",") + "{\"trader\":\"" + json_escape(t.id) +
                    "\",\"state\":\"" + (!t.loaded ? "failed" : "quarantined") +
                    "\",\"reason\":\"" + json_escape(t.reason) + "\"}";
    }
    workers = s.workers;
  }
  component feed, database, pool, compiler;
  if (live) {
    const auto h = live->health();
    if (h.phase == "failed") feed = {"down", h.error.empty() ? "live feed failed" : h.error};
    else if (h.phase != "live") feed = {"degraded", "live feed " + h.phase};
  } else if (s.feed_ended) {
    feed.reason = "replay ended";
  }
  if (mode == "starting") feed = {"degraded", "starting"};
  if (failed + quarantined > 0)
    pool = {"degraded", std::to_string(failed) + " failed to load, " +
                            std::to_string(quarantined) + " quarantined"};
  if (workers == 0 && traders > 0 && s.ticks > 0) pool = {"down", "no worker process"};
  if (compile_failures > 0)
    compiler = {"degraded", std::to_string(compile_failures) + " traders do not compile"};
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  // The platform reads "healthy" as "up and answering": the details are the components'.
  std::ostringstream out;
  out << "{\"status\":\"" << (s.stopping ? "stopping" : "healthy")
      << "\",\"timestamp\":\"" << iso8601_utc(now_ms) << "\",\"version\":\"" << version
      << "\",\"uptime\":" << uptime << ",\"run_mode\":\"" << mode << "\",\"user_id\":\""
      << json_escape(user ? user : "local") << '"';
  if (traders > 0) out << ",\"trader_count\":" << traders;
  out << ",\"components\":{";
  write_component(out, "feed", feed, ",\"ticks\":" + std::to_string(s.ticks.load()));
  out << ',';
  write_component(out, "database", database, ",\"kind\":\"" + s.database + '"');
  out << ',';
  write_component(out, "workers", pool,
                  ",\"count\":" + std::to_string(workers) + ",\"quarantined\":" +
                      std::to_string(quarantined) + ",\"failed\":" + std::to_string(failed));
  out << ',';
  write_component(out, "compile_service", compiler, ",\"kind\":\"" + s.compiler + '"');
  out << '}';
  if (live) out << ",\"binance\":" << live_health_json(live->health());
  out << ",\"problems\":[" << problems << "]}\n";
  return out.str();
}

std::string metrics_text(service_state& s, const feed& source, const binance_feed* live,
                         const std::string& extra) {
  std::ostringstream out;
  auto metric = [&](const char* name, const char* type, const char* help, auto value) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n'
        << name << ' ' << value << '\n';
  };
  auto stats = source.stats();
  metric("vyx_uptime_seconds", "gauge", "Seconds since start.",
         std::chrono::duration<double>(clock_type::now() - s.started).count());
  metric("vyx_ticks_total", "counter", "Ticks (candle closes) screened.", s.ticks.load());
  metric("vyx_evaluations_total", "counter", "Trader evaluations.", s.evaluations.load());
  metric("vyx_signals_total", "counter", "Signals written (after dedup).", s.signals.load());
  metric("vyx_faults_total", "counter", "Evaluations that faulted.", s.faults.load());
  metric("vyx_reloads_total", "counter", "Trader generations switched in.", s.reloads.load());
  metric("vyx_reload_failures_total", "counter", "Traders that failed to load.",
         s.reload_failures.load());
  metric("vyx_reload_latency_seconds", "gauge", "Folder change to the tick that used it (last).",
         s.last_reload_seconds.load());
  metric("vyx_tick_duration_seconds", "gauge", "Wall time of the last tick's evaluation.",
         s.last_tick_seconds.load());
  metric("vyx_tick_duration_max_seconds", "gauge", "Longest tick evaluation so far.",
         s.max_tick_seconds.load());
  metric("vyx_last_candle_close_ms", "gauge", "Close time of the last tick (Unix ms).",
         s.last_close_ms.load());
  metric("vyx_feed_candles_total", "counter", "Candles delivered by the feed.", stats.candles);
  out << "# HELP vyx_feed_dropped_total Rows the feed skipped.\n# TYPE vyx_feed_dropped_total "
         "counter\n"
      << "vyx_feed_dropped_total{reason=\"malformed\"} " << stats.malformed << '\n'
      << "vyx_feed_dropped_total{reason=\"out_of_order\"} " << stats.out_of_order << '\n'
      << "vyx_feed_dropped_total{reason=\"duplicate\"} " << stats.duplicate << '\n';
  if (live) out << live_metrics_text(live->health());
  std::lock_guard lock(s.mutex);
  metric("vyx_workers", "gauge", "Worker processes.", s.workers);
  metric("vyx_traders", "gauge", "Traders loaded.", s.statuses.size());
  out << "# HELP vyx_trader_evaluations_total Evaluations per trader.\n# TYPE "
         "vyx_trader_evaluations_total counter\n";
  for (const auto& t : s.statuses)
    out << "vyx_trader_evaluations_total{trader=\"" << t.id << "\"} " << t.evaluations << '\n';
  out << "# HELP vyx_trader_quarantined Whether a trader is quarantined.\n# TYPE "
         "vyx_trader_quarantined gauge\n";
  for (const auto& t : s.statuses)
    out << "vyx_trader_quarantined{trader=\"" << t.id << "\"} " << t.quarantined << '\n';
  std::size_t failed = 0;
  for (const auto& t : s.statuses) failed += t.enabled && !t.loaded;
  metric("vyx_traders_failed", "gauge",
         "Enabled traders not running: they did not compile, load or pass the audit, or need a "
         "timeframe the data lacks (the reason is in /health and vyx status).",
         failed);
  out << "# HELP vyx_trader_loaded Whether a trader's plugin runs (0: see its reason).\n# TYPE "
         "vyx_trader_loaded gauge\n";
  for (const auto& t : s.statuses)
    out << "vyx_trader_loaded{trader=\"" << t.id << "\"} " << t.loaded << '\n';
  return out.str() + extra;
}

}  // namespace vyx::cli
