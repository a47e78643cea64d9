// The machine API behind the real Beast server, in process, over a fake
// screening: limits (sizes, slow clients, a request flood), CORS, routing and
// the answers' shapes. The end-to-end test (run_api_test.cpp) runs `vyx run`.
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "http_client.hpp"
#include "shape_check.hpp"
#include "token_factory.hpp"
#include "vyx/runtime/api/machine_api.hpp"

namespace {

using namespace vyx::runtime;
using vyx::test::http_call;

const std::string server_owner = "server_owner-uuid";
const std::string server_secret = "server-test-server_secret-0123456789abcdef";

class fake_control final : public api::trader_control {
 public:
  std::vector<api::trader_view> traders() override {
    std::lock_guard lock(mutex_);
    return {view_};
  }
  std::optional<api::trader_view> trader(const std::string& id) override {
    std::lock_guard lock(mutex_);
    if (id != view_.id) return std::nullopt;
    return view_;
  }
  api::control_outcome start(const std::string& id, std::string&) override {
    return set(id, "running");
  }
  api::control_outcome stop(const std::string& id, std::string&) override {
    return set(id, "stopped");
  }
  api::control_outcome reload(const std::string& id, std::string&) override {
    return set(id, "running");
  }
  api::control_outcome execute_immediate(const std::string& id, api::immediate_result& r,
                                         std::string&) override {
    if (id != view_.id) return api::control_outcome::unknown_trader;
    r.timestamp_ms = 1'709'251'200'000;
    r.total_symbols = 3;
    r.signals.push_back({"BTCUSDT", "1m", 1'709'251'199'999, 61000.5});
    r.execution_ms = 1.5;
    return api::control_outcome::done;
  }

 private:
  api::control_outcome set(const std::string& id, const char* state) {
    std::lock_guard lock(mutex_);
    if (id != view_.id) return api::control_outcome::unknown_trader;
    view_.state = state;
    return api::control_outcome::done;
  }
  std::mutex mutex_;
  api::trader_view view_{"t1", server_owner, "t1", "running", "", 1'709'251'200'000, 0, 0, 7};
};

struct server_fixture {
  explicit server_fixture(api::api_config config = {}, http_limits limits = {})
      : api(
            std::move(config), verifier, control,
            [] { return std::string(R"({"status":"healthy"})"); },
            [] { return std::string("vyx_up 1\n"); }),
        server(
            "127.0.0.1", 0, [this](const http_request& r) { return api.handle(r); }, limits) {}

  std::string bearer() const {
    vyx::test::claims c;
    c.sub = server_owner;
    return "Bearer " + vyx::test::sign_token("HS256", server_secret, "", c);
  }

  auth::token_verifier verifier{[] {
    auth::verifier_config c;
    c.hs256_secret = server_secret;
    c.owner = server_owner;
    return c;
  }()};
  fake_control control;
  api::machine_api api;
  http_server server;
};

}  // namespace

TEST_CASE("api server: routes, status codes and the platform's shapes") {
  server_fixture f;
  const auto port = f.server.port();
  const std::vector<std::pair<std::string, std::string>> auth = {{"Authorization", f.bearer()}};

  auto status = http_call(port, "GET", "/api/v1/traders/t1/status", auth);
  CHECK(status.status == 200);
  CHECK(status.header("content-type") == "application/json");
  CHECK(vyx::test::shape_mismatch("trader_status", status.body) == "");
  CHECK(status.body.find(R"("state":"running")") != std::string::npos);

  auto list = http_call(port, "GET", "/api/v1/traders", auth);
  CHECK(list.status == 200);
  CHECK(vyx::test::shape_mismatch("trader_list", list.body) == "");

  auto stop = http_call(port, "POST", "/api/v1/traders/t1/stop", auth);
  CHECK(stop.status == 200);
  CHECK(stop.body.find(R"("state":"stopped")") != std::string::npos);
  CHECK(vyx::test::shape_mismatch("trader_status", stop.body) == "");

  auto run = http_call(port, "POST", "/api/v1/traders/t1/execute-immediate", auth);
  CHECK(run.status == 200);
  CHECK(vyx::test::shape_mismatch("execute_immediate", run.body) == "");
  CHECK(run.body.find(R"("matchCount":1)") != std::string::npos);

  // Unknown trader 404, wrong method 405, a shadowing-prone path 404, no token 401.
  for (const auto& [method, target, expected] :
       std::vector<std::tuple<std::string, std::string, unsigned>>{
           {"POST", "/api/v1/traders/nope/start", 404},
           {"GET", "/api/v1/traders/t1/start", 405},
           {"POST", "/api/v1/traders/t1/status", 405},
           {"GET", "/api/v1/traders/t1/status/extra", 404},
           {"GET", "/api/v1/traders/t1", 404},
           {"GET", "/api/v1/traders/../t1/status", 404},
           {"GET", "/nope", 404}}) {
    CAPTURE(target);
    auto r = http_call(port, method, target, auth);
    CHECK(r.status == expected);
    CHECK(vyx::test::shape_mismatch("error", r.body) == "");
  }
  auto unsigned_call = http_call(port, "POST", "/api/v1/traders/t1/start");
  CHECK(unsigned_call.status == 401);
  CHECK(unsigned_call.header("www-authenticate") == "Bearer");
  CHECK(vyx::test::shape_mismatch("error", unsigned_call.body) == "");
  // An unsigned caller learns nothing about which traders exist.
  CHECK(http_call(port, "POST", "/api/v1/traders/nope/start").status == 401);

  CHECK(http_call(port, "GET", "/health").status == 200);
  CHECK(http_call(port, "HEAD", "/health").status == 200);
  CHECK(http_call(port, "GET", "/").body == R"({"status":"healthy"})");
  CHECK(http_call(port, "GET", "/metrics").body == "vyx_up 1\n");
}

TEST_CASE("api server: CORS as the platform, with configurable origins") {
  SUBCASE("any origin (the default)") {
    server_fixture f;
    auto preflight =
        http_call(f.server.port(), "OPTIONS", "/api/v1/traders/t1/start",
                  {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "POST"}});
    CHECK(preflight.status == 204);
    CHECK(preflight.header("access-control-allow-origin") == "*");
    CHECK(preflight.header("access-control-allow-headers").find("authorization") !=
          std::string::npos);
    CHECK(preflight.header("access-control-allow-methods").find("POST") != std::string::npos);
  }
  SUBCASE("a list of origins") {
    api::api_config config;
    config.allowed_origins = {"https://app.example"};
    server_fixture f(config);
    auto allowed =
        http_call(f.server.port(), "GET", "/health", {{"Origin", "https://app.example"}});
    CHECK(allowed.header("access-control-allow-origin") == "https://app.example");
    CHECK(allowed.header("vary") == "Origin");
    auto other = http_call(f.server.port(), "GET", "/health", {{"Origin", "https://evil.example"}});
    CHECK(other.status == 200);
    CHECK(other.header("access-control-allow-origin") == "");
    CHECK(http_call(f.server.port(), "OPTIONS", "/api/v1/traders",
                    {{"Origin", "https://evil.example"}})
              .status == 403);
  }
}

TEST_CASE(
    "api server: a request flood gets 429 with Retry-After while /health and /metrics stay up") {
  api::api_config config;
  config.rate_per_second = 1;
  config.burst = 5;
  server_fixture f(config);
  const auto port = f.server.port();
  int ok = 0, limited = 0;
  std::string retry_after;
  for (int i = 0; i < 30; ++i) {
    auto r = http_call(port, "GET", "/api/v1/traders", {{"Authorization", f.bearer()}});
    if (r.status == 200) ++ok;
    if (r.status == 429) {
      ++limited;
      retry_after = r.header("retry-after");
      CHECK(vyx::test::shape_mismatch("error", r.body) == "");
    }
    CHECK(http_call(port, "GET", "/health").status == 200);
    CHECK(http_call(port, "GET", "/metrics").status == 200);
  }
  CHECK(ok >= 5);
  CHECK(ok <= 10);  // the burst, plus what a second of refill adds
  CHECK(limited >= 20);
  CHECK(std::stol(retry_after) >= 1);
}

TEST_CASE("api server: size limits answer 413 and 431") {
  server_fixture f;
  const auto port = f.server.port();
  auto big_body = http_call(port, "POST", "/api/v1/traders/t1/start",
                            {{"Authorization", f.bearer()}}, std::string(70 * 1024, 'x'));
  CHECK(big_body.status == 413);
  auto big_header = http_call(port, "GET", "/health", {{"X-Padding", std::string(10 * 1024, 'y')}});
  CHECK(big_header.status == 431);
  CHECK(http_call(port, "GET", "/health").status == 200);
}

TEST_CASE("api server: slow clients are timed out while others are served") {
  http_limits limits;
  limits.request_timeout = std::chrono::milliseconds(700);
  server_fixture f({}, limits);
  const auto port = f.server.port();

  // Headers byte by byte, slower than the deadline allows, and never finished.
  const int trickle = vyx::test::connect_loopback(port);
  REQUIRE(trickle >= 0);
  // A body announced and never sent in full.
  const int stalled = vyx::test::connect_loopback(port);
  REQUIRE(stalled >= 0);
  const std::string partial =
      "POST /api/v1/traders/t1/start HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789";
  REQUIRE(write(stalled, partial.data(), partial.size()) == static_cast<ssize_t>(partial.size()));

  std::atomic<bool> trickle_closed{false};
  std::thread trickler([&] {
    const std::string request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    for (std::size_t i = 0; i < 40 && !trickle_closed; ++i) {
      // Pacing of the misbehaving client (what is under test), not synchronisation.
      if (send(trickle, &request[i % request.size()], 1, MSG_NOSIGNAL) != 1) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  // Meanwhile others are answered at once.
  for (int i = 0; i < 5; ++i) CHECK(http_call(port, "GET", "/health").status == 200);

  std::string received;
  CHECK(vyx::test::closed_by_peer(stalled, std::chrono::seconds(5), received));
  CHECK(received.find(" 200 ") == std::string::npos);
  received.clear();
  CHECK(vyx::test::closed_by_peer(trickle, std::chrono::seconds(5), received));
  trickle_closed = true;
  trickler.join();
  close(trickle);
  close(stalled);
  CHECK(http_call(port, "GET", "/health").status == 200);
}

TEST_CASE("api server: a handler that fails answers 500 with no internals in the body") {
  http_server server(
      "127.0.0.1", 0,
      [](const http_request& request) -> http_reply {
        if (request.target == "/boom") throw std::runtime_error("/var/lib/vyx/secret.db: disk I/O error");
        return {200, "application/json", "{}"};
      },
      http_limits{});
  auto failed = http_call(server.port(), "GET", "/boom");
  CHECK(failed.status == 500);
  CHECK(failed.body == R"({"error":"internal error"})");
  CHECK(vyx::test::shape_mismatch("error", failed.body) == "");
  // The connection's failure does not take the server with it.
  CHECK(http_call(server.port(), "GET", "/fine").status == 200);
}
