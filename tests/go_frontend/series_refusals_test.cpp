// Diagnostics in seriesCode point at the series code's own file, line and
// column (the request's series_file_name, else "<file> (seriesCode)"),
// from the Go front end and from the dialect build of the generated C++.
#include <doctest/doctest.h>

#include "go_support.hpp"

namespace {
vyx::compiler::diagnostic first_error(const vyx::compiler::compile_result& r) {
  REQUIRE_FALSE(r.ok);
  REQUIRE_FALSE(r.diagnostics.empty());
  return r.diagnostics.front();
}
}  // namespace

TEST_CASE("a type error in seriesCode is reported at its own line and column") {
  const auto d = first_error(vyx::test::check_go("return true", "x := 1\ny := \"a\" + 1\nreturn nil"));
  CHECK(d.file == "checked.go (seriesCode)");
  CHECK(d.rule == "go-type-check");
  CHECK(d.line == 2);
  CHECK(d.column == 6);
}

TEST_CASE("a refused construct in seriesCode is refused with its rule") {
  const auto d =
      first_error(vyx::test::check_go("return true", "x := 1\n  go func() { x++ }()\nreturn nil"));
  CHECK(d.file == "checked.go (seriesCode)");
  CHECK(d.rule == "go-no-goroutines");
  CHECK(d.line == 2);
  CHECK(d.column == 3);
}

TEST_CASE("the body's own diagnostics stay at the body's file") {
  const auto d = first_error(vyx::test::check_go("x := \"a\" + 1\nreturn x == \"\"", "return nil"));
  CHECK(d.file == "checked.go");
  CHECK(d.line == 1);
}

TEST_CASE("a dialect finding in the C++ of seriesCode maps back to the series") {
  // Beyond the dialect's stack frame limit: found on the generated C++.
  const vyx::compiler::compile_result r = vyx::test::check_go(
      "return true", "x := 1\nvar big [20000]float64\nbig[x] = 1\n_ = big\nreturn nil");
  REQUIRE_FALSE(r.ok);
  REQUIRE_FALSE(r.diagnostics.empty());
  for (const auto& d : r.diagnostics) {
    CHECK(d.file == "checked.go (seriesCode)");
    CHECK(d.line >= 1);
    CHECK(d.line <= 5);
  }
}

TEST_CASE("a body with seriesCode checks, requiring both parts' timeframes") {
  const vyx::compiler::compile_result r = vyx::test::check_go(
      "return len(data.Klines[\"1h\"]) > 0",
      "k := data.Klines[\"5m\"]\nreturn map[string]interface{}{\"n\": []interface{}{map[string]"
      "interface{}{\"x\": 1, \"y\": len(k)}}}");
  for (const auto& d : r.diagnostics) CAPTURE(d.message);
  REQUIRE(r.ok);
  CHECK(r.metadata.has_series);
  CHECK(r.metadata.timeframes == std::vector<std::string>{"5m", "1h"});
}
