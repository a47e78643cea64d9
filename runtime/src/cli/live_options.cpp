// Live feed settings from options and the environment; its /health and /metrics parts.
#include "live_options.hpp"

#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::cli {
namespace po = boost::program_options;

void add_live_options(po::options_description& options, live_cli& s) {
  options.add_options()("live", "stream Binance (env BINANCE_API_URL, BINANCE_WS_URL, SYMBOL_COUNT, "
                                "MIN_VOLUME, SYMBOLS=a,b to pin)")(
      "timeframes", po::value(&s.timeframes)->default_value(s.timeframes),
      "live: kline timeframes to stream")(
      "ca-file", po::value(&s.ca_file), "live: trust this CA file instead of the system store")(
      "grace-ms", po::value(&s.grace_ms)->default_value(s.grace_ms),
      "live: wait this long after a close's first candle, then fetch the missing ones by REST")(
      "idle-ms", po::value(&s.idle_ms)->default_value(s.idle_ms),
      "live: a stream connection silent this long is dead and reconnects")(
      "max-connection-age", po::value(&s.max_age_s)->default_value(s.max_age_s),
      "live: seconds before a connection is rolled over (Binance ends them at 24 h)")(
      "universe-refresh", po::value(&s.refresh_s)->default_value(s.refresh_s),
      "live: seconds between symbol universe refreshes")(
      "history-signals", po::bool_switch(&s.history_signals),
      "live: also write signals for the candles backfilled at start");
}

runtime::binance_feed_options live_feed_options(const live_cli& s, std::uint32_t history) {
  runtime::binance_feed_options o;
  auto env = [](const char* name) -> std::string {
    const char* v = std::getenv(name);
    return v ? v : "";
  };
  if (auto v = env("BINANCE_API_URL"); !v.empty()) o.api_url = v;
  if (auto v = env("BINANCE_WS_URL"); !v.empty()) o.ws_url = v;
  try {
    if (auto v = env("SYMBOL_COUNT"); !v.empty()) o.symbol_count = std::stoul(v);
    if (auto v = env("MIN_VOLUME"); !v.empty()) o.min_volume = std::stod(v);
  } catch (const std::exception&) {
    throw std::runtime_error("SYMBOL_COUNT and MIN_VOLUME must be numbers");
  }
  if (auto v = env("SYMBOLS"); !v.empty()) {
    std::stringstream list(v);
    std::string symbol;
    while (std::getline(list, symbol, ','))
      if (!symbol.empty()) o.pinned_symbols.push_back(symbol);
  }
  std::stringstream list(s.timeframes);
  std::string name;
  while (std::getline(list, name, ',')) {
    auto tf = runtime::parse_timeframe(name);
    if (!tf) throw std::runtime_error("unknown timeframe '" + name + "' in --timeframes");
    o.timeframes |= 1u << *tf;
  }
  o.ca_file = s.ca_file;
  o.history = history;
  o.grace = std::chrono::milliseconds(s.grace_ms);
  o.idle_timeout = std::chrono::milliseconds(s.idle_ms);
  o.max_connection_age = std::chrono::seconds(s.max_age_s);
  o.universe_refresh = std::chrono::seconds(std::max(1u, s.refresh_s));
  return o;
}

std::string live_health_json(const runtime::binance_health& h) {
  std::ostringstream out;
  out << "{\"phase\":\"" << h.phase << "\",\"error\":\"";
  for (char c : h.error) {
    if (c == '"' || c == '\\') out << '\\';
    if (static_cast<unsigned char>(c) >= 0x20) out << c;
  }
  out << "\",\"messages_per_second\":" << h.messages_per_second << ",\"reconnects\":" << h.reconnects
      << ",\"backfilled\":" << h.backfilled << ",\"missing\":" << h.missing << ",\"late\":" << h.late
      << ",\"lag_ms\":" << h.lag_ms << ",\"last_close_ms\":" << h.last_close_ms
      << ",\"connections\":[";
  for (std::size_t i = 0; i < h.connections.size(); ++i) {
    const auto& c = h.connections[i];
    out << (i ? "," : "") << "{\"id\":" << c.id << ",\"state\":\"" << c.state
        << "\",\"streams\":" << c.streams << ",\"messages\":" << c.messages
        << ",\"reconnects\":" << c.reconnects << ",\"rollovers\":" << c.rollovers << '}';
  }
  out << "]}";
  return out.str();
}

std::string live_metrics_text(const runtime::binance_health& h) {
  std::ostringstream out;
  auto metric = [&](const char* name, const char* type, const char* help, auto value) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n'
        << name << ' ' << value << '\n';
  };
  metric("vyx_binance_messages_total", "counter", "Stream frames received.", h.messages);
  metric("vyx_binance_messages_per_second", "gauge", "Stream frames per second (recent).",
         h.messages_per_second);
  metric("vyx_binance_reconnects_total", "counter", "Stream reconnects.", h.reconnects);
  metric("vyx_binance_backfilled_candles_total", "counter", "Candles taken from REST.", h.backfilled);
  metric("vyx_binance_missing_candles_total", "counter",
         "Candles missing on Binance too (gaps reported).", h.missing);
  metric("vyx_binance_late_candles_total", "counter", "Candles fetched by REST after the grace.", h.late);
  metric("vyx_binance_duplicate_candles_total", "counter", "Closed candles received twice (dropped).",
         h.duplicates);
  metric("vyx_binance_malformed_messages_total", "counter", "Frames that did not parse (dropped).",
         h.malformed);
  metric("vyx_binance_rest_requests_total", "counter", "REST requests sent.", h.rest_requests);
  metric("vyx_binance_rest_throttled_total", "counter", "REST answers 429.", h.rest_throttled);
  metric("vyx_binance_feed_lag_ms", "gauge", "Now minus the newest close time received.", h.lag_ms);
  metric("vyx_binance_universe_newcomers", "gauge",
         "Symbols that joined the universe at a refresh (subscribed, backfilled, screened).",
         h.universe_newcomers);
  metric("vyx_binance_universe_waiting", "gauge",
         "New top symbols waiting for a restart (every reserved store slot used).", h.universe_waiting);
  out << "# HELP vyx_binance_connection_up Whether a stream connection is open.\n"
         "# TYPE vyx_binance_connection_up gauge\n";
  for (const auto& c : h.connections)
    out << "vyx_binance_connection_up{connection=\"" << c.id << "\",state=\"" << c.state << "\"} "
        << (c.state == "open" ? 1 : 0) << '\n';
  out << "# HELP vyx_binance_connection_messages_total Frames per connection.\n"
         "# TYPE vyx_binance_connection_messages_total counter\n";
  for (const auto& c : h.connections)
    out << "vyx_binance_connection_messages_total{connection=\"" << c.id << "\"} " << c.messages << '\n';
  return out.str();
}

}  // namespace vyx::cli
