// Refusals through the compiler: every diagnostic names the .go file, its
// line and column, and a rule id; none points at generated C++.
#include <doctest/doctest.h>

#include "go_support.hpp"

namespace {
void expect_refused(const std::string& body, const std::string& rule, int line, int column) {
  CAPTURE(body);
  const vyx::compiler::compile_result r = vyx::test::check_go(body);
  CHECK_FALSE(r.ok);
  REQUIRE_FALSE(r.diagnostics.empty());
  const auto& d = r.diagnostics.front();
  CHECK(d.file == "checked.go");
  CHECK(d.rule == rule);
  CHECK(d.line == line);
  CHECK(d.column == column);
  CHECK_FALSE(d.message.empty());
}
}  // namespace

TEST_CASE("what traders cannot do is refused at the .go line and column") {
  expect_refused("x := 1\ngo func() { x++ }()\nreturn x > 0", "go-no-goroutines", 2, 1);
  expect_refused("var c chan int\n_ = c\nreturn true", "go-no-channels", 1, 7);
  expect_refused("x := 0\n  select {}\nreturn x == 0", "go-no-select", 2, 3);
  expect_refused("defer func() {}()\nreturn true", "go-no-defer", 1, 1);
  expect_refused("if true {\n\tpanic(\"x\")\n}\nreturn true", "go-no-panic", 2, 2);
  expect_refused("_ = recover()\nreturn true", "go-no-panic", 1, 5);
  expect_refused("import \"os\"\nreturn true", "go-no-import", 1, 1);
  expect_refused("_ = os.Getenv(\"HOME\")\nreturn true", "go-no-os", 1, 5);
  expect_refused("x := 1\n_, _ = net.Dial(\"tcp\", \"x\")\nreturn x > 0", "go-no-net", 2, 8);
  expect_refused("var x int\n_ = unsafe.Sizeof(x)\nreturn true", "go-no-unsafe", 2, 5);
  expect_refused("_ = reflect.TypeOf(1)\nreturn true", "go-no-reflect", 1, 5);
  expect_refused("syscall.Exit(0)\nreturn true", "go-no-syscall", 1, 1);
  expect_refused("_ = io.EOF\nreturn true", "go-no-io", 1, 5);
  expect_refused("return true\n}\nfunc (k T) M() {}\nfunc x() {", "go-no-methods", 3, 1);
  expect_refused("return true\n}\ntype T int\nfunc x() {", "go-no-top-level-decl", 3, 1);
  expect_refused("x := \"a\" + 1\nreturn x == \"\"", "go-type-check", 1, 6);
  expect_refused("return missing > 0", "go-type-check", 1, 8);
  expect_refused("k := data.Klines[\"7m\"]\nreturn len(k) > 0", "go-unknown-timeframe", 1, 18);
}

TEST_CASE("a C++-level problem in translated code is reported at the Go line") {
  // Arrays beyond the dialect's 64 KiB stack frame: found by the unchanged
  // dialect checker on the generated C++, reported at the Go declaration.
  const vyx::compiler::compile_result r =
      vyx::test::check_go("x := 1\nvar big [20000]float64\nbig[x] = 1\nreturn big[1] > 0");
  REQUIRE_FALSE(r.ok);
  for (const auto& d : r.diagnostics) {
    CHECK(d.file == "checked.go");
    CHECK(d.line >= 1);
    CHECK(d.line <= 4);
  }
}

TEST_CASE("the sample bodies check, and their timeframes are inferred") {
  const vyx::compiler::compile_result r = vyx::test::check_go(
      "a := data.Klines[\"5m\"]\nb := data.Klines[\"1h\"]\nreturn len(a) > len(b)");
  REQUIRE(r.ok);
  CHECK(r.metadata.timeframes == std::vector<std::string>{"5m", "1h"});
}
