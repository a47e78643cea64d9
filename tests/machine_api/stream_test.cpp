// The live stream (GET /api/v1/stream), the rate limit's key behind Fly's
// proxy and the JWKS refetch on an unknown kid, in process behind the real
// Beast server. `vyx run`'s stream end to end is in run_stream_test.cpp.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <atomic>
#include <optional>

#include "../../runtime/src/api/jwks_download.hpp"
#include "http_client.hpp"
#include "token_factory.hpp"
#include "vyx/runtime/api/machine_api.hpp"

namespace {

using namespace vyx::runtime;
using vyx::test::http_call;
using vyx::test::sse_client;

const std::string stream_owner = "stream-owner-uuid";
const std::string stream_secret = "stream-test-secret-0123456789abcdef0123";

// No traders: the stream tests need none.
class no_traders final : public api::trader_control {
 public:
  std::vector<api::trader_view> traders() override { return {}; }
  std::optional<api::trader_view> trader(const std::string&) override { return std::nullopt; }
  api::control_outcome start(const std::string&, std::string&) override { return unknown(); }
  api::control_outcome stop(const std::string&, std::string&) override { return unknown(); }
  api::control_outcome reload(const std::string&, std::string&) override { return unknown(); }
  api::control_outcome execute_immediate(const std::string&, api::immediate_result&,
                                         std::string&) override {
    return unknown();
  }

 private:
  static api::control_outcome unknown() { return api::control_outcome::unknown_trader; }
};

auth::verifier_config hs256_config() {
  auth::verifier_config c;
  c.hs256_secret = stream_secret;
  c.owner = stream_owner;
  return c;
}

struct stream_fixture {
  explicit stream_fixture(std::size_t queue_events, http_limits limits = {},
                          api::api_config config = {},
                          auth::verifier_config auth_config = hs256_config())
      : stream(queue_events),
        verifier(std::move(auth_config)),
        api(
            std::move(config), verifier, control, [] { return std::string("{}"); },
            [] { return std::string("vyx_up 1\n"); }, &stream),
        server(
            "127.0.0.1", 0, [this](const http_request& r) { return api.handle(r); }, limits) {}

  std::vector<std::pair<std::string, std::string>> auth(const std::string& sub = stream_owner) const {
    vyx::test::claims c;
    c.sub = sub;
    return {{"Authorization", "Bearer " + vyx::test::sign_token("HS256", stream_secret, "", c)}};
  }

  api::event_stream stream;
  auth::token_verifier verifier;
  no_traders control;
  api::machine_api api;
  http_server server;
};

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// "" when `data` is {"type": <type>, "timestamp": "...Z", "data": {...}}.
std::string event_mismatch(const std::string& data, const std::string& type) {
  simdjson::dom::parser parser;
  simdjson::padded_string text(data);
  simdjson::dom::object event;
  if (parser.parse(text).get(event) != simdjson::SUCCESS) return "not a JSON object: " + data;
  std::string_view value;
  if (event["type"].get(value) != simdjson::SUCCESS || value != type) return "type: " + data;
  if (event["timestamp"].get(value) != simdjson::SUCCESS || !value.ends_with("Z"))
    return "timestamp: " + data;
  simdjson::dom::object inner;
  if (event["data"].get(inner) != simdjson::SUCCESS) return "data: " + data;
  return "";
}

}  // namespace

TEST_CASE("stream: the owner's token opens it, others get 401/403 as on every /api/v1 route") {
  stream_fixture f(64);
  const auto port = f.server.port();
  CHECK(http_call(port, "GET", "/api/v1/stream").status == 401);
  CHECK(http_call(port, "GET", "/api/v1/stream", {{"Authorization", "Bearer nonsense"}}).status ==
        401);
  CHECK(http_call(port, "GET", "/api/v1/stream", f.auth("someone-else")).status == 403);
  CHECK(http_call(port, "POST", "/api/v1/stream", f.auth()).status == 405);
  CHECK(f.stream.clients() == 0);
}

TEST_CASE("stream: events in {type, timestamp, data}, heartbeats, past the request deadline") {
  http_limits limits;
  limits.request_timeout = std::chrono::milliseconds(300);
  limits.stream_heartbeat = std::chrono::milliseconds(200);
  stream_fixture f(64, limits);
  sse_client client(f.server.port(), "/api/v1/stream", f.auth());
  REQUIRE(client.read_until([](const std::string& r) { return r.find(": connected\n\n") != r.npos; },
                            std::chrono::seconds(10)));
  CHECK(client.received().rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(client.received().find("Content-Type: text/event-stream\r\n") != std::string::npos);
  CHECK(f.stream.clients() == 1);

  f.stream.publish("signal", R"({"trader":"t1","symbol":"BTCUSDT","price":1.5})");
  f.stream.publish("status", R"({"trader":"t1","state":"running"})");
  f.stream.publish("error", R"({"trader":"t1","faults":1,"new_faults":1})");
  REQUIRE(client.read_until([&](const std::string&) { return client.events().size() == 3; },
                            std::chrono::seconds(10)));
  const auto events = client.events();
  CHECK(event_mismatch(events[0], "signal") == "");
  CHECK(event_mismatch(events[1], "status") == "");
  CHECK(event_mismatch(events[2], "error") == "");
  CHECK(client.received().find("event: signal\n") != std::string::npos);

  // Three heartbeats span more than twice the 300 ms request deadline: the stream stays open.
  REQUIRE(client.read_until([](const std::string& r) { return count_of(r, ": heartbeat\n") >= 4; },
                            std::chrono::seconds(10)));
  CHECK_FALSE(client.closed());
  f.stream.publish("signal", R"({"trader":"t1"})");
  CHECK(client.read_until([&](const std::string&) { return client.events().size() == 4; },
                          std::chrono::seconds(10)));
}

TEST_CASE("stream: a client that never reads is dropped and counted, another keeps receiving") {
  stream_fixture f(32);
  const auto port = f.server.port();
  sse_client reader(port, "/api/v1/stream", f.auth());
  sse_client stalled(port, "/api/v1/stream", f.auth(), 4096);
  const auto connected = [](const std::string& r) { return r.find(": connected\n\n") != r.npos; };
  REQUIRE(reader.read_until(connected, std::chrono::seconds(10)));
  REQUIRE(stalled.read_until(connected, std::chrono::seconds(10)));
  REQUIRE(f.stream.clients() == 2);

  // The publisher (screening's role) never waits on a client: batches of 16
  // events, paced only by the reader having had the last batch.
  const std::string payload = R"({"trader":"t1","pad":")" + std::string(400, 'x') + "\"}";
  std::size_t published = 0;
  for (int batch = 0; batch < 200 && f.stream.dropped() == 0; ++batch) {
    for (int i = 0; i < 16; ++i, ++published) f.stream.publish("signal", payload);
    REQUIRE(reader.read_until([&](const std::string&) { return reader.events().size() == published; },
                              std::chrono::seconds(10)));
  }
  CHECK(f.stream.dropped() == 1);
  CHECK(f.stream.clients() == 1);
  // The reader had every event, before and after the drop.
  for (int i = 0; i < 16; ++i, ++published) f.stream.publish("signal", payload);
  CHECK(reader.read_until([&](const std::string&) { return reader.events().size() == published; },
                          std::chrono::seconds(10)));
  CHECK(f.stream.published() == published);
  auto metrics = http_call(port, "GET", "/metrics");
  CHECK(metrics.body.find("\nvyx_stream_dropped_clients_total 1\n") != std::string::npos);
  CHECK(metrics.body.find("\nvyx_stream_clients 1\n") != std::string::npos);
  // The dropped client's connection is closed once what was buffered for it is read.
  CHECK(stalled.read_until([](const std::string&) { return false; }, std::chrono::seconds(10)) ==
        false);
  CHECK(stalled.closed());
}

TEST_CASE("stream: the connection limit counts open streams") {
  http_limits limits;
  limits.max_connections = 1;
  stream_fixture f(8, limits);
  sse_client first(f.server.port(), "/api/v1/stream", f.auth());
  REQUIRE(first.read_until([](const std::string& r) { return r.find(": connected") != r.npos; },
                           std::chrono::seconds(10)));
  sse_client second(f.server.port(), "/api/v1/stream", f.auth());
  CHECK_FALSE(second.read_until([](const std::string& r) { return !r.empty(); },
                                std::chrono::seconds(10)));
  CHECK(second.closed());
  CHECK(f.stream.clients() == 1);
}

TEST_CASE("rate limit: keyed on Fly-Client-IP only when VYX_TRUST_PROXY_HEADERS=1") {
  auto flood = [](bool trust) {
    api::api_config config;
    config.rate_per_second = 0.001;
    config.burst = 2;
    config.trust_proxy_headers = trust;
    stream_fixture f(8, {}, config);
    auto call = [&](const std::string& ip) {
      auto headers = f.auth();
      headers.emplace_back("Fly-Client-IP", ip);
      return http_call(f.server.port(), "GET", "/api/v1/traders", headers).status;
    };
    // Two clients behind the proxy (one socket address): two requests each.
    std::vector<unsigned> statuses;
    for (const char* ip : {"203.0.113.1", "203.0.113.1", "203.0.113.2", "203.0.113.2", "203.0.113.1"})
      statuses.push_back(call(ip));
    return statuses;
  };
  CHECK(flood(true) == std::vector<unsigned>{200, 200, 200, 200, 429});
  CHECK(flood(false) == std::vector<unsigned>{200, 200, 429, 429, 429});

  setenv("VYX_TRUST_PROXY_HEADERS", "1", 1);
  CHECK(api::api_config_from_environment().trust_proxy_headers);
  setenv("VYX_TRUST_PROXY_HEADERS", "yes", 1);
  CHECK_THROWS_AS(api::api_config_from_environment(), std::runtime_error);
  unsetenv("VYX_TRUST_PROXY_HEADERS");
  CHECK_FALSE(api::api_config_from_environment().trust_proxy_headers);
}

TEST_CASE("JWKS by URL: an unknown kid refetches the set (rotation), at most once a minute") {
  auto first = vyx::test::test_keys::make("ES256", "key-2026-11");
  auto rotated = vyx::test::test_keys::make("ES256", "key-2026-12");
  std::mutex mutex;
  std::string served = vyx::test::test_keys::jwks({first});
  std::atomic<int> fetches{0};
  http_server jwks_server("127.0.0.1", 0, [&](const http_request&) {
    ++fetches;
    std::lock_guard lock(mutex);
    return http_reply{200, "application/json", served};
  });
  const std::string url =
      "http://127.0.0.1:" + std::to_string(jwks_server.port()) + "/auth/v1/.well-known/jwks.json";

  auth::verifier_config config;
  config.owner = stream_owner;
  config.jwks_json = http_call(jwks_server.port(), "GET", "/auth/v1/.well-known/jwks.json").body;
  config.jwks_refetch = [&] { return api::download_jwks(url, std::chrono::seconds(5)); };
  auth::token_verifier verifier(config);
  vyx::test::claims c;
  c.sub = stream_owner;
  auto token = [&](const vyx::test::key_pair& key) {
    return vyx::test::sign_token("ES256", key.private_pem, key.kid, c);
  };
  CHECK(verifier.verify(token(first)).result == auth::verdict::owner);
  CHECK(verifier.jwks_refetches() == 0);

  {
    std::lock_guard lock(mutex);
    served = vyx::test::test_keys::jwks({rotated});
  }
  CHECK(verifier.verify(token(rotated)).result == auth::verdict::owner);  // refetched
  CHECK(verifier.jwks_refetches() == 1);
  CHECK(verifier.verify(token(first)).result == auth::verdict::unauthorized);  // rotated out
  // Another unknown kid within the minute: refused without a fetch.
  auto stranger = vyx::test::test_keys::make("ES256", "made-up");
  CHECK(verifier.verify(token(stranger)).result == auth::verdict::unauthorized);
  CHECK(verifier.jwks_refetches() == 1);
  CHECK(fetches == 2);  // the initial set and one refetch
}
