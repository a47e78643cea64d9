// `vyxc serve` as a process: the token policy at start, /health, keep-alive,
// and a clean exit on SIGTERM.
#include <doctest/doctest.h>

#include "test_support.hpp"

using namespace vyx::test;

TEST_CASE("without VYXC_TOKEN the service refuses to start and says why") {
  server_options options;
  options.env["VYXC_TOKEN"] = "";
  const exit_outcome outcome = run_to_exit(options);
  CHECK(outcome.status == 2);
  CHECK(outcome.error_output.find("VYXC_TOKEN is not set") != std::string::npos);
  CHECK(outcome.error_output.find("--insecure") != std::string::npos);
}

TEST_CASE("with --insecure and no token every endpoint is open") {
  server_options options;
  options.env["VYXC_TOKEN"] = "";
  options.arguments = {"--insecure"};
  server_process server(options);
  CHECK(http_call(server.port(), get("/metrics", "")).status == 200);
  CHECK(http_call(server.port(), get("/v1/artifacts/" + std::string(64, 'a'), "")).status == 404);
  CHECK(server.terminate() == 0);
}

TEST_CASE("a usage error exits with status 2") {
  server_options options = secured({"--jobs", "many"});
  const exit_outcome outcome = run_to_exit(options);
  CHECK(outcome.status == 2);
}

TEST_CASE("/health needs no token and reports the pool") {
  server_process server(secured({"--jobs", "3"}));
  const http_reply reply = http_call(server.port(), get("/health", ""));
  REQUIRE(reply.status == 200);
  CHECK(reply.header("content-type") == "application/json");
  const json_doc doc(reply.body);
  CHECK(std::string_view(doc["status"]) == "ok");
  CHECK(uint64_t(doc["workers"]) == 3);
  CHECK(uint64_t(doc["queueDepth"]) == 0);
  CHECK(server.terminate() == 0);
}

TEST_CASE("one connection carries several requests (keep-alive)") {
  server_process server(secured());
  http_connection connection(server.port());
  for (int i = 0; i < 3; ++i) {
    const http_reply reply = connection.send(get("/health"));
    CHECK(reply.status == 200);
    CHECK(reply.keep_alive);
  }
  // An error answered after the whole request was read keeps the connection too.
  CHECK(connection.send(get("/nowhere")).status == 404);
  CHECK(connection.send(get("/health")).status == 200);
  CHECK(server.terminate() == 0);
}

TEST_CASE("HEAD is answered like GET without a body") {
  server_process server(secured());
  http_request request = get("/health");
  request.method = "HEAD";
  http_connection connection(server.port());
  const http_reply reply = connection.send(request);
  CHECK(reply.status == 200);
  CHECK(reply.body.empty());
  CHECK(std::stoul(reply.header("content-length")) > 0);
  CHECK(server.terminate() == 0);
}

TEST_CASE("SIGTERM with an idle keep-alive connection open still exits cleanly") {
  server_process server(secured());
  http_connection connection(server.port());
  CHECK(connection.send(get("/health")).status == 200);
  CHECK(server.terminate() == 0);
}
