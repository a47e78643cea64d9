// The compile service under abuse: bodies that are not JSON (415), compile
// bombs resent (refusals cached by content hash), and bombs holding every
// worker while a cheap compile arrives (the reserve worker keeps it flowing).
#include <doctest/doctest.h>

#include <chrono>
#include <future>

#include "test_support.hpp"

using namespace vyx::test;

namespace {
// The compiles running now, from /metrics.
double running(std::uint16_t port) {
  const http_reply reply = http_call(port, get("/metrics"));
  REQUIRE(reply.status == 200);
  const std::string prefix = "\nvyxc_compiles_running ";
  const std::size_t at = reply.body.find(prefix);
  REQUIRE(at != std::string::npos);
  return std::stod(reply.body.substr(at + prefix.size()));
}
}  // namespace

TEST_CASE("a compile whose Content-Type is not JSON gets 415 before its body is read") {
  server_process server(secured({"--jobs", "1"}));
  const auto port = server.port();
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data"}) {
    CAPTURE(type);
    http_request request = compile_request_for(good_trader("415"));
    request.headers["Content-Type"] = type;
    const http_reply reply = http_call(port, request);
    CHECK(reply.status == 415);
    CHECK(json_doc(reply.body).error_code() == "unsupported_media_type");
  }
  for (const char* type : {"application/json; charset=utf-8", "Application/JSON",
                           "application/vnd.vyx+json"}) {
    CAPTURE(type);
    http_request request = compile_request_for(good_trader("json"));
    request.headers["Content-Type"] = type;
    CHECK(http_call(port, request).status == 200);
  }
  CHECK(server.terminate() == 0);
}

TEST_CASE("a refused compile bomb sent again is answered from the refusal cache, without a worker") {
  server_process server(secured({"--jobs", "1", "--time-limit", "2"}));
  const auto port = server.port();
  const http_reply first = http_call(port, compile_request_for(compile_bomb_trader("resent"), "bomb"));
  REQUIRE(first.status == 200);
  const json_doc first_doc(first.body);
  CHECK_FALSE(bool(first_doc["ok"]));
  CHECK_FALSE(bool(first_doc["cacheHit"]));
  CHECK(std::string_view(first_doc["diagnostics"].at(0)["rule"]) == "compile-limit");

  const http_reply again = http_call(port, compile_request_for(compile_bomb_trader("resent"), "bomb"));
  REQUIRE(again.status == 200);
  const json_doc again_doc(again.body);
  CHECK_FALSE(bool(again_doc["ok"]));
  CHECK(bool(again_doc["cacheHit"]));
  CHECK(double(again_doc["timings"]["queueMs"]) == 0);  // never queued for a worker
  CHECK(std::string_view(again_doc["diagnostics"].at(0)["rule"]) == "compile-limit");
  // A refusal by a rule is remembered too.
  CHECK(http_call(port, compile_request_for(rejected_trader(), "inc")).status == 200);
  const json_doc rule_doc(http_call(port, compile_request_for(rejected_trader(), "inc")).body);
  CHECK(bool(rule_doc["cacheHit"]));
  CHECK(std::string_view(rule_doc["diagnostics"].at(0)["rule"]) == "dialect-no-include");
  CHECK(server.terminate() == 0);
}

TEST_CASE("while a compile bomb holds every worker, a cheap compile still goes through") {
  server_process server(secured(
      {"--jobs", "1", "--max-queue", "4", "--time-limit", "8", "--long-compile-ms", "300"}));
  const auto port = server.port();
  // The SDK header is built once, by a first cheap compile.
  REQUIRE(http_call(port, compile_request_for(good_trader("warm"), "warm")).status == 200);
  auto bomb = std::async(std::launch::async, [port] {
    return http_call(port, compile_request_for(compile_bomb_trader("holding"), "bomb"));
  });
  // The bomb is in the only worker before the cheap compile is sent.
  while (running(port) != 1)
    REQUIRE(bomb.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);
  const http_reply cheap = http_call(port, compile_request_for(good_trader("cheap"), "cheap"));
  REQUIRE(cheap.status == 200);
  CHECK(bool(json_doc(cheap.body)["ok"]));
  // The bomb (8 s of CPU) was still running when the cheap compile came back.
  CHECK(bomb.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);
  const http_reply held = bomb.get();
  CHECK(held.status == 200);
  CHECK(std::string_view(json_doc(held.body)["diagnostics"].at(0)["rule"]) == "compile-limit");
  CHECK(server.terminate() == 0);
}
