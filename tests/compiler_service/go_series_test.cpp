// POST /v1/compile with a Go trader's seriesCode: built with its series()
// entry, and a seriesCode error answered at "trader.go (seriesCode)".
#include <doctest/doctest.h>

#include "test_support.hpp"

using namespace vyx::test;

namespace {
http_request go_compile(const std::string& code, const std::string& series) {
  http_request request = compile_request_for("unused");
  request.body = "{\"language\":\"go\",\"name\":\"charted\",\"code\":" + json_string(code) +
                 ",\"seriesCode\":" + json_string(series) + "}";
  return request;
}
}  // namespace

TEST_CASE("a Go trader with seriesCode compiles with a series entry") {
  server_process server(secured());
  const http_reply reply = http_call(
      server.port(),
      go_compile("return len(data.Klines[\"5m\"]) > 0",
                 "k := data.Klines[\"5m\"]\npoints := []map[string]interface{}{}\n"
                 "for _, c := range k {\n    points = append(points, map[string]interface{}{\"x\": "
                 "c.OpenTime, \"y\": c.Close})\n}\nreturn map[string]interface{}{\"close\": points}"));
  REQUIRE(reply.status == 200);
  INFO(reply.body);
  const json_doc doc(reply.body);
  CHECK(bool(doc["ok"]));
  CHECK(bool(doc["metadata"]["hasSeries"]));
  CHECK(server.terminate() == 0);
}

TEST_CASE("an error in seriesCode is answered at the seriesCode's line and column") {
  server_process server(secured());
  const http_reply reply =
      http_call(server.port(), go_compile("return true", "x := 1\ny := \"a\" + 1\nreturn nil"));
  REQUIRE(reply.status == 200);
  INFO(reply.body);
  const json_doc doc(reply.body);
  CHECK_FALSE(bool(doc["ok"]));
  const auto d = doc["diagnostics"].at(0);
  CHECK(std::string_view(d["file"]) == "trader.go (seriesCode)");
  CHECK(std::string_view(d["rule"]) == "go-type-check");
  CHECK(int64_t(d["line"]) == 2);
  CHECK(int64_t(d["column"]) == 6);
  CHECK(server.terminate() == 0);
}
