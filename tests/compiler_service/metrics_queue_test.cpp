// GET /metrics (Prometheus text) and the bounded compile queue (503 with Retry-After).
#include <doctest/doctest.h>

#include <filesystem>
#include <future>

#include "test_support.hpp"

using namespace vyx::test;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The value of an unlabelled or fully labelled metric line, or -1.
double metric(const std::string& text, const std::string& series) {
  const std::string prefix = series + " ";
  for (std::size_t at = 0; (at = text.find(prefix, at)) != std::string::npos; at += prefix.size())
    if (at == 0 || text[at - 1] == '\n') return std::stod(text.substr(at + prefix.size()));
  return -1;
}

std::string scrape(std::uint16_t port) {
  const http_reply reply = http_call(port, get("/metrics"));
  REQUIRE(reply.status == 200);
  return reply.body;
}

}  // namespace

TEST_CASE(
    "/metrics counts requests by endpoint and status, cache hits and misses, latency and queue") {
  server_process server(secured({"--jobs", "2"}));
  const auto port = server.port();
  CHECK(http_call(port, compile_request_for(good_trader("metrics"))).status == 200);
  CHECK(http_call(port, compile_request_for(good_trader("metrics"))).status == 200);
  CHECK(http_call(port, get("/nowhere")).status == 404);
  CHECK(http_call(port, get("/metrics", "")).status == 401);

  const http_reply reply = http_call(port, get("/metrics"));
  REQUIRE(reply.status == 200);
  CHECK(contains(reply.header("content-type"), "text/plain; version=0.0.4"));
  const std::string& text = reply.body;
  INFO(text);
  CHECK(metric(text, "vyxc_http_requests_total{endpoint=\"compile\",status=\"200\"}") == 2);
  CHECK(metric(text, "vyxc_http_requests_total{endpoint=\"unknown\",status=\"404\"}") == 1);
  CHECK(metric(text, "vyxc_http_requests_total{endpoint=\"metrics\",status=\"401\"}") == 1);
  CHECK(metric(text, "vyxc_cache_hits_total") == 1);
  CHECK(metric(text, "vyxc_cache_misses_total") == 1);
  CHECK(metric(text, "vyxc_compile_duration_seconds_count{cache=\"miss\"}") == 1);
  CHECK(metric(text, "vyxc_compile_duration_seconds_count{cache=\"hit\"}") == 1);
  CHECK(metric(text, "vyxc_compile_duration_seconds_bucket{cache=\"hit\",le=\"+Inf\"}") == 1);
  CHECK(metric(text, "vyxc_compile_queue_depth") == 0);
  CHECK(metric(text, "vyxc_compiles_running") == 0);
  CHECK(metric(text, "vyxc_compile_workers") == 2);
  CHECK(contains(text, "# TYPE vyxc_compile_duration_seconds histogram"));
  CHECK(server.terminate() == 0);
}

TEST_CASE("with every worker busy and the waiting room full, a compile gets 503 with Retry-After") {
  // The cached trader is compiled first by a server with the default limits:
  // the 2 s limit below is too short for a first build of the SDK header
  // under the sanitizers. Both servers share one cache.
  const std::filesystem::path cache = make_temp_dir("vyxc-queue-test");
  struct remove_at_end {
    std::filesystem::path dir;
    ~remove_at_end() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  } cleanup{cache};
  {
    server_options warm = secured();
    warm.cache_dir = cache;
    server_process warming(warm);
    const http_reply first = http_call(warming.port(), compile_request_for(good_trader("cached"), "cached"));
    REQUIRE(first.status == 200);
    REQUIRE(bool(json_doc(first.body)["ok"]));
    REQUIRE(warming.terminate() == 0);
  }
  // One worker, one waiting place; bombs hold them until the 2 s compile limit
  // (no reserve worker: it would take the waiting bomb once the first ran long).
  server_options constrained =
      secured({"--jobs", "1", "--max-queue", "1", "--time-limit", "2", "--reserve-workers", "0"});
  constrained.cache_dir = cache;
  server_process server(constrained);
  const auto port = server.port();
  auto bomb = [port](const std::string& variant) {
    return std::async(std::launch::async, [port, variant] {
      return http_call(port, compile_request_for(compile_bomb_trader(variant), "bomb"));
    });
  };
  // Waits on the service's own gauges, not on time; a bomb that already
  // ended would make the wait pointless, so that fails the test instead.
  const auto wait_for_gauge = [port](const char* gauge, std::future<http_reply>& pending) {
    while (metric(scrape(port), gauge) != 1)
      REQUIRE(pending.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);
  };
  auto running = bomb("a");
  wait_for_gauge("vyxc_compiles_running", running);  // the first bomb is in the worker...
  auto waiting = bomb("b");
  wait_for_gauge("vyxc_compile_queue_depth", waiting);  // ...and the second one waits for it
  const http_reply refused = http_call(port, compile_request_for(good_trader("refused")));
  CHECK(refused.status == 503);
  CHECK(refused.header("retry-after") == "2");
  CHECK(json_doc(refused.body).error_code() == "queue_full");
  // A trader already in the cache needs no worker: it is answered at once.
  const http_reply cached = http_call(port, compile_request_for(good_trader("cached"), "cached"));
  REQUIRE(cached.status == 200);
  const json_doc cached_doc(cached.body);
  CHECK(bool(cached_doc["ok"]));
  CHECK(bool(cached_doc["cacheHit"]));
  CHECK(double(cached_doc["timings"]["queueMs"]) == 0);

  for (auto* pending : {&running, &waiting}) {
    const http_reply reply = pending->get();
    CHECK(reply.status == 200);
    const json_doc doc(reply.body);
    CHECK_FALSE(bool(doc["ok"]));
    CHECK(std::string_view(doc["diagnostics"].at(0)["rule"]) == "compile-limit");
  }
  const std::string text = scrape(port);
  CHECK(metric(text, "vyxc_http_requests_total{endpoint=\"compile\",status=\"503\"}") == 1);
  CHECK(metric(text, "vyxc_compiles_total{outcome=\"queue_full\"}") == 1);
  CHECK(metric(text, "vyxc_cache_hits_total") == 1);
  // Capacity is back once the bombs are done.
  CHECK(http_call(port, compile_request_for(good_trader("after"))).status == 200);
  CHECK(server.terminate() == 0);
}
