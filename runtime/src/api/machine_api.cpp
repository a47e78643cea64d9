// Routing of the machine API. Every path is matched whole (the platform's
// router let a prefix route shadow two others: here each route is one exact
// pattern), sign-in is checked before a trader is looked up (so an unsigned
// caller cannot probe which ids exist), and answers are JSON
// {"error", "message"?} on failure with no internals in them.
#include "vyx/runtime/api/machine_api.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>

#include "rate_limiter.hpp"
#include "vyx/common/json_writer.hpp"
#include "vyx/runtime/screening/trader_signal.hpp"

namespace vyx::runtime::api {
namespace {

using common::json_writer;

constexpr const char* json_type = "application/json";
constexpr std::string_view traders_prefix = "/api/v1/traders";

http_reply error_reply(unsigned status, std::string_view error, std::string_view message = {}) {
  json_writer out;
  out.begin_object().key("error").value(error);
  if (!message.empty()) out.key("message").value(message);
  out.end_object();
  return {status, json_type, out.take()};
}

void write_time(json_writer& out, const char* key, std::int64_t ms) {
  if (ms > 0) out.key(key).value(iso8601_utc(ms));
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The platform's TraderStatus; optional members are left out when absent.
void write_status(json_writer& out, const trader_view& t) {
  out.begin_object().key("id").value(t.id).key("user_id").value(t.user_id).key("name").value(
      t.name);
  out.key("state").value(t.state);
  if (!t.last_error.empty()) out.key("last_error").value(t.last_error);
  write_time(out, "started_at", t.started_at_ms);
  write_time(out, "stopped_at", t.stopped_at_ms);
  out.key("signal_count").value(t.signal_count);
  write_time(out, "last_run_at", t.last_run_at_ms);
  if (t.state == "running" && t.started_at_ms > 0)
    out.key("uptime_seconds").value(static_cast<double>(now_ms() - t.started_at_ms) / 1000.0);
  out.end_object();
}

std::string status_json(const trader_view& t) {
  json_writer out;
  write_status(out, t);
  return out.take();
}

std::string immediate_json(const std::string& id, const immediate_result& r) {
  json_writer out;
  out.begin_object().key("traderId").value(id).key("timestamp").value(iso8601_utc(r.timestamp_ms));
  out.key("totalSymbols").value(static_cast<std::uint64_t>(r.total_symbols));
  out.key("matchCount").value(static_cast<std::uint64_t>(r.signals.size()));
  out.key("signals").begin_array();
  for (const auto& s : r.signals)
    out.begin_object()
        .key("symbol")
        .value(s.symbol)
        .key("interval")
        .value(s.interval)
        .key("timestamp")
        .value(iso8601_utc(s.timestamp_ms))
        .key("price")
        .value(s.price)
        .end_object();
  out.end_array().key("executionTimeMs").value(r.execution_ms).end_object();
  return out.take();
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string part = text.substr(start, end - start);
    while (!part.empty() && part.front() == ' ') part.erase(part.begin());
    while (!part.empty() && part.back() == ' ') part.pop_back();
    if (!part.empty()) parts.push_back(part);
    start = end + 1;
  }
  return parts;
}

double positive_number(const char* name, double fallback) {
  const char* text = std::getenv(name);
  if (!text || !*text) return fallback;
  char* end = nullptr;
  const double value = std::strtod(text, &end);
  if (*end != '\0' || !(value > 0) || value > 1e6)
    throw std::runtime_error(std::string(name) + ": a positive number");
  return value;
}

// A trader id as a path segment: what the platform uses (uuids) and our file stems.
bool plausible_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
      return false;
  return id != "." && id != "..";
}

}  // namespace

api_config api_config_from_environment() {
  api_config config;
  if (const char* origins = std::getenv("VYX_CORS_ORIGINS"); origins && *origins)
    config.allowed_origins = split_commas(origins);
  config.rate_per_second = positive_number("VYX_API_RATE_PER_SECOND", config.rate_per_second);
  config.burst = positive_number("VYX_API_BURST", config.burst);
  if (const char* trust = std::getenv("VYX_TRUST_PROXY_HEADERS"); trust && *trust) {
    const std::string value(trust);
    if (value != "0" && value != "1") throw std::runtime_error("VYX_TRUST_PROXY_HEADERS: 1 or 0");
    config.trust_proxy_headers = value == "1";
  }
  return config;
}

struct machine_api::impl {
  api_config config;
  const auth::token_verifier& verifier;
  trader_control& traders;
  std::function<std::string()> health, metrics;
  event_stream* stream;
  rate_limiter limiter;

  impl(api_config c, const auth::token_verifier& v, trader_control& t,
       std::function<std::string()> h, std::function<std::string()> m, event_stream* s)
      : config(std::move(c)),
        verifier(v),
        traders(t),
        health(std::move(h)),
        metrics(std::move(m)),
        stream(s),
        limiter(config.rate_per_second, config.burst) {}

  // Whom the rate limit counts a request against.
  std::string client_key(const http_request& request) const {
    if (config.trust_proxy_headers) {
      std::string forwarded = request.header("fly-client-ip");
      if (!forwarded.empty() && forwarded.size() <= 64) return forwarded;
    }
    return request.remote;
  }

  // The Access-Control-Allow-Origin value for `origin`; empty = not allowed.
  std::string allowed_origin(const std::string& origin) const {
    for (const auto& allowed : config.allowed_origins) {
      if (allowed == "*") return "*";
      if (!origin.empty() && allowed == origin) return origin;
    }
    return {};
  }

  void add_cors(const http_request& request, http_reply& reply) const {
    const std::string origin = request.header("origin");
    const std::string allowed = allowed_origin(origin);
    if (allowed.empty()) return;
    reply.headers.emplace_back("Access-Control-Allow-Origin", allowed);
    if (allowed != "*") reply.headers.emplace_back("Vary", "Origin");
  }

  http_reply preflight(const http_request& request) const {
    const std::string origin = request.header("origin");
    if (!origin.empty() && allowed_origin(origin).empty())
      return error_reply(403, "origin not allowed");
    http_reply reply{204, "text/plain; charset=utf-8", ""};
    reply.headers = {
        {"Access-Control-Allow-Methods", "GET, POST, OPTIONS"},
        {"Access-Control-Allow-Headers", "authorization, x-client-info, apikey, content-type"},
        {"Access-Control-Max-Age", "86400"}};
    return reply;
  }

  http_reply route(const http_request& request) {
    const std::string& path = request.target;
    const bool get = request.method == "GET";
    if (path == "/health" || path == "/") {
      if (!get) return error_reply(405, "method not allowed");
      return {200, json_type, health()};
    }
    if (path == "/metrics") {
      if (!get) return error_reply(405, "method not allowed");
      std::string text = metrics();
      if (text.empty()) return {503, "text/plain; charset=utf-8", "starting\n"};
      if (stream) text += stream->metrics_text();
      return {200, "text/plain; version=0.0.4; charset=utf-8", std::move(text)};
    }
    if (path.rfind("/api/", 0) != 0) return error_reply(404, "not found");

    const auto signed_in = verifier.verify_header(request.header("authorization"));
    if (signed_in.result == auth::verdict::unauthorized) {
      spdlog::info("api: {} {} from {}: 401 ({})", request.method, path, request.remote,
                   signed_in.reason);
      auto reply = error_reply(401, "unauthorized", signed_in.reason);
      reply.headers.emplace_back("WWW-Authenticate", "Bearer");
      return reply;
    }
    if (signed_in.result == auth::verdict::forbidden) {
      spdlog::info("api: {} {} from {}: 403 (another user's token)", request.method, path,
                   request.remote);
      return error_reply(403, "forbidden", "this machine belongs to another user");
    }
    if (path == "/api/v1/stream") {
      if (!get) return error_reply(405, "method not allowed");
      if (!stream) return error_reply(404, "not found");
      spdlog::info("api: stream opened from {}", request.remote);
      http_reply reply{200, "text/event-stream", ""};
      reply.stream = stream->subscribe();
      return reply;
    }
    return route_traders(request);
  }

  http_reply route_traders(const http_request& request) {
    std::string_view path = request.target;
    if (path.rfind(traders_prefix, 0) != 0) return error_reply(404, "not found");
    path.remove_prefix(traders_prefix.size());
    if (path.empty() || path == "/") {
      if (request.method != "GET") return error_reply(405, "method not allowed");
      json_writer out;
      const auto all = traders.traders();
      out.begin_object().key("traders").begin_array();
      for (const auto& t : all) write_status(out, t);
      out.end_array().key("count").value(static_cast<std::uint64_t>(all.size())).end_object();
      return {200, json_type, out.take()};
    }
    // "/{id}/{action}", exactly two segments.
    if (path.front() != '/') return error_reply(404, "not found");
    path.remove_prefix(1);
    const auto slash = path.find('/');
    if (slash == std::string_view::npos) return error_reply(404, "not found");
    const std::string id(path.substr(0, slash));
    const std::string action(path.substr(slash + 1));
    const bool is_status = action == "status";
    const bool is_command = action == "start" || action == "stop" || action == "reload" ||
                            action == "execute-immediate";
    if (!plausible_id(id) || (!is_status && !is_command)) return error_reply(404, "not found");
    if (request.method != (is_status ? "GET" : "POST"))
      return error_reply(405, "method not allowed");
    if (!traders.trader(id)) return error_reply(404, "trader not found", id);
    if (is_status) return {200, json_type, status_json(*traders.trader(id))};

    std::string error;
    control_outcome outcome;
    immediate_result immediate;
    if (action == "start")
      outcome = traders.start(id, error);
    else if (action == "stop")
      outcome = traders.stop(id, error);
    else if (action == "reload")
      outcome = traders.reload(id, error);
    else
      outcome = traders.execute_immediate(id, immediate, error);
    switch (outcome) {
      case control_outcome::unknown_trader:
        return error_reply(404, "trader not found", id);
      case control_outcome::busy: {
        auto reply = error_reply(503, "busy", error);
        reply.headers.emplace_back("Retry-After", "5");
        return reply;
      }
      case control_outcome::conflict:
        return error_reply(409, "conflict", error);
      case control_outcome::failed:
        return error_reply(500, action + " failed", error);
      case control_outcome::done:
        break;
    }
    spdlog::info("api: {} {}", action, id);
    if (action == "execute-immediate") return {200, json_type, immediate_json(id, immediate)};
    auto now = traders.trader(id);
    if (!now) return error_reply(404, "trader not found", id);
    return {200, json_type, status_json(*now)};
  }
};

machine_api::machine_api(api_config config, const auth::token_verifier& verifier,
                         trader_control& traders, std::function<std::string()> health,
                         std::function<std::string()> metrics, event_stream* stream)
    : impl_(std::make_unique<impl>(std::move(config), verifier, traders, std::move(health),
                                   std::move(metrics), stream)) {}

machine_api::~machine_api() = default;

http_reply machine_api::handle(const http_request& request) {
  http_reply reply;
  // The public read-only routes stay answerable whatever a client floods (the platform's
  // health check, Prometheus scrapes); the limit guards the signed-in API.
  const bool exempt =
      request.target == "/health" || request.target == "/" || request.target == "/metrics";
  long retry_after = 0;
  if (request.method == "OPTIONS") {
    reply = impl_->preflight(request);
  } else if (!exempt && !impl_->limiter.allow(impl_->client_key(request), retry_after)) {
    reply = error_reply(429, "too many requests");
    reply.headers.emplace_back("Retry-After", std::to_string(retry_after));
  } else {
    reply = impl_->route(request);
  }
  impl_->add_cors(request, reply);
  return reply;
}

}  // namespace vyx::runtime::api
