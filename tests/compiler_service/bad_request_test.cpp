// Every malformed or refused request gets the right status and a JSON error
// {"error": {"code", "message"}}; tokens are checked everywhere but /health.
#include <doctest/doctest.h>

#include "test_support.hpp"

using namespace vyx::test;

namespace {

http_request compile_with_body(const std::string& body) {
  http_request request = compile_request_for("unused");
  request.body = body;
  return request;
}

// Checks status and error code of an answer; returns its message.
std::string expect_error(const http_reply& reply, unsigned status, const std::string& code) {
  CHECK(reply.status == status);
  CHECK(reply.header("content-type") == "application/json");
  const json_doc doc(reply.body);
  CHECK(doc.error_code() == code);
  std::string_view message;
  CHECK_FALSE(doc.root()["error"]["message"].get(message));
  CHECK_FALSE(message.empty());
  return std::string(message);
}

}  // namespace

TEST_CASE("malformed compile bodies: 400 for bad JSON or UTF-8, 422 for bad fields and Go is served") {
  server_process server(secured());
  const auto port = server.port();

  SUBCASE("invalid JSON") {
    expect_error(http_call(port, compile_with_body("{\"language\": \"cpp\",")), 400,
                 "invalid_json");
  }
  SUBCASE("invalid UTF-8 inside a string") {
    expect_error(
        http_call(port, compile_with_body("{\"language\":\"cpp\",\"code\":\"bool f\xff\xfe\"}")),
        400, "invalid_utf8");
  }
  SUBCASE("not an object") {
    expect_error(http_call(port, compile_with_body("[1,2,3]")), 422, "invalid_request");
  }
  SUBCASE("missing code") {
    const auto message = expect_error(http_call(port, compile_with_body("{\"language\":\"cpp\"}")),
                                      422, "invalid_request");
    CHECK(message.find("code") != std::string::npos);
  }
  SUBCASE("missing language") {
    expect_error(http_call(port, compile_with_body("{\"code\":\"bool filter();\"}")), 422,
                 "invalid_request");
  }
  SUBCASE("code of the wrong type") {
    const auto message =
        expect_error(http_call(port, compile_with_body("{\"language\":\"cpp\",\"code\":42}")), 422,
                     "invalid_request");
    CHECK(message.find("\"code\" must be a string") != std::string::npos);
  }
  SUBCASE("requiredTimeframes of the wrong type") {
    expect_error(
        http_call(port,
                  compile_with_body(
                      "{\"language\":\"cpp\",\"code\":\"x\",\"requiredTimeframes\":[\"5m\",1]}")),
        422, "invalid_request");
  }
  SUBCASE("unknown language") {
    expect_error(
        http_call(port, compile_with_body("{\"language\":\"rust\",\"code\":\"fn main(){}\"}")), 422,
        "invalid_request");
  }
  SUBCASE("Go is served: a refused body gets diagnostics at the .go file") {
    const http_reply reply = http_call(
        port, compile_with_body("{\"language\":\"go\",\"code\":\"go func() {}()\\nreturn true\"}"));
    CHECK(reply.status != 501);
    CHECK(reply.body.find("go-no-goroutines") != std::string::npos);
    CHECK(reply.body.find("trader.go") != std::string::npos);
  }
  CHECK(server.terminate() == 0);
}

TEST_CASE("a body over the limit gets 413 from its Content-Length, before the body is sent") {
  server_process server(secured({"--body-limit", "1000"}));
  http_connection connection(server.port());
  // Only the header goes out: the answer must not wait for the 5 MB announced.
  const http_reply reply = connection.send_raw(
      "POST /v1/compile HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + service_token +
      "\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n");
  expect_error(reply, 413, "body_too_large");
  CHECK_FALSE(reply.keep_alive);
  CHECK(server.terminate() == 0);
}

TEST_CASE("a chunked body that grows over the limit gets 413") {
  server_process server(secured({"--body-limit", "1000"}));
  http_connection connection(server.port());
  const std::string chunk(900, 'x');
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  const http_reply reply =
      connection.send_raw("POST /v1/compile HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                          service_token + "\r\nTransfer-Encoding: chunked\r\n\r\n" + size_line +
                          chunk + "\r\n" + size_line + chunk + "\r\n0\r\n\r\n");
  expect_error(reply, 413, "body_too_large");
  CHECK(server.terminate() == 0);
}

TEST_CASE(
    "wrong method gets 405 with Allow, unknown path 404, malformed hash 400, unknown hash 404") {
  server_process server(secured());
  const auto port = server.port();
  const http_reply wrong_method = http_call(port, get("/v1/compile"));
  expect_error(wrong_method, 405, "method_not_allowed");
  CHECK(wrong_method.header("allow") == "POST");

  http_request post_health = get("/health");
  post_health.method = "POST";
  post_health.body = "{}";
  const http_reply post_on_get = http_call(port, post_health);
  expect_error(post_on_get, 405, "method_not_allowed");
  CHECK(post_on_get.header("allow") == "GET, HEAD");

  expect_error(http_call(port, get("/v2/compile")), 404, "not_found");
  expect_error(http_call(port, get("/v1/artifacts/not-a-hash")), 400, "invalid_hash");
  expect_error(http_call(port, get("/v1/artifacts/" + std::string(63, 'a'))), 400, "invalid_hash");
  expect_error(http_call(port, get("/v1/artifacts/" + std::string(64, 'A'))), 400, "invalid_hash");
  expect_error(http_call(port, get("/v1/artifacts/" + std::string(64, 'a'))), 404,
               "artifact_not_found");
  CHECK(server.terminate() == 0);
}

TEST_CASE("every endpoint but /health needs the bearer token") {
  server_process server(secured());
  const auto port = server.port();
  for (const std::string& target :
       std::vector<std::string>{"/metrics", "/v1/artifacts/" + std::string(64, 'a'), "/nowhere"}) {
    CAPTURE(target);
    const http_reply missing = http_call(port, get(target, ""));
    expect_error(missing, 401, "unauthorized");
    CHECK(missing.header("www-authenticate") == "Bearer");
    expect_error(http_call(port, get(target, "wrong-token")), 401, "unauthorized");
    expect_error(http_call(port, get(target, service_token + "x")), 401, "unauthorized");
  }
  http_request compile = compile_request_for(good_trader());
  compile.token = "";
  expect_error(http_call(port, compile), 401, "unauthorized");
  compile.headers["Authorization"] = "Basic " + service_token;
  expect_error(http_call(port, compile), 401, "unauthorized");

  // The scheme name is case-insensitive (RFC 7235).
  http_request lowercase = get("/metrics", "");
  lowercase.headers["Authorization"] = "bearer " + service_token;
  CHECK(http_call(port, lowercase).status == 200);
  CHECK(http_call(port, get("/health", "")).status == 200);
  CHECK(server.terminate() == 0);
}

TEST_CASE("a refused request whose body was not read closes the connection after the answer") {
  server_process server(secured());
  http_connection connection(server.port());
  // No token, body announced and sent: 401 comes without reading it, then the connection ends.
  const http_reply reply = connection.send_raw(
      "POST /v1/compile HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789");
  expect_error(reply, 401, "unauthorized");
  CHECK_FALSE(reply.keep_alive);
  CHECK(server.terminate() == 0);
}
