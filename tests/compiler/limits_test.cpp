// Compile bombs end as a clear "compile limit exceeded" diagnostic within the
// compiler's limit: template recursion, constexpr loops, and a preprocessor
// expansion that would take forever.
#include <doctest/doctest.h>

#include <chrono>

#include "support/compile_support.hpp"

namespace {

vyx::compiler::compile_result check_with_limit(const std::string& code, double seconds) {
  // Warm the shared SDK header first, so that the limit below measures the bomb only.
  REQUIRE(vyx::test::check_code(
              "bool filter(const vyx::Market& m) { return m.klines(\"5m\").size() > 0; }\n")
              .ok);
  vyx::compiler::compiler_options options;
  options.cache_dir = VYX_TEST_CACHE_DIR;
  options.time_limit_seconds = seconds;
  options.memory_limit_bytes = 1ull << 30;
  vyx::compiler::compiler limited(options);
  vyx::compiler::compile_request r;
  r.code = code;
  return limited.check(r);
}

bool limit_hit(const vyx::compiler::compile_result& r) {
  for (const auto& d : r.diagnostics)
    if (d.rule == "compile-limit" && d.message.find("compile limit exceeded") != std::string::npos)
      return true;
  return false;
}

}  // namespace

TEST_CASE("a template recursion bomb stops at the template depth limit") {
  const auto r = check_with_limit(R"(
template <int N> struct boom { static constexpr int value = boom<N + 1>::value + 1; };
bool filter(const vyx::Market& m) { return boom<0>::value > 0 && m.klines("5m").size() > 0; }
)",
                                  10);
  CHECK_FALSE(r.ok);
  CHECK(limit_hit(r));
}

TEST_CASE("a constexpr bomb stops at the constexpr step limit") {
  const auto r = check_with_limit(R"(
constexpr long spin() { long s = 0; for (long i = 0; i < 1000000000; ++i) s += i % 7; return s; }
constexpr long spun = spin();
bool filter(const vyx::Market& m) { return spun > 0 && m.klines("5m").size() > 0; }
)",
                                  10);
  CHECK_FALSE(r.ok);
  CHECK(limit_hit(r));
}

TEST_CASE("a preprocessor bomb is stopped by the time limit") {
  std::string code = "#define A0 1+\n";
  for (int i = 1; i <= 40; ++i)
    code += "#define A" + std::to_string(i) + " A" + std::to_string(i - 1) + " A" +
            std::to_string(i - 1) + "\n";
  code +=
      "bool filter(const vyx::Market& m) { return A40 1 > 0 && m.klines(\"5m\").size() > 0; }\n";
  const double limit = 3;
  const auto start = std::chrono::steady_clock::now();
  const auto r = check_with_limit(code, limit);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK_FALSE(r.ok);
  CHECK(limit_hit(r));
  REQUIRE(r.diagnostics.size() == 1);
  // Located where clang was stopped: the line that expands the bomb.
  CHECK(r.diagnostics[0].line == 42);
  CHECK(r.diagnostics[0].message.find("the compiler was here") != std::string::npos);
  // The compile ends at its limit, never hangs. The limit is CPU time; on a
  // loaded machine the wall clock stops it at the backstop, 3 x limit + 5 s
  // (compiler/README.md), plus process teardown.
  CHECK(elapsed < 3 * limit + 5 + 5);
}

namespace {
// `depth` lambdas, each called inside the previous one's body.
std::string nested_lambdas(int depth) {
  std::string body = "1";
  for (int i = 0; i < depth; ++i) body = "[&] { return " + body + "; }()";
  return "int deep() { return " + body + "; }\n"
         "bool filter(const vyx::Market& m) { return deep() > 0 && m.klines(\"5m\").size() > 0; }\n";
}
}  // namespace

TEST_CASE("nested lambdas past the bracket depth: a located compile-limit, never a crash") {
  for (const int depth : {130, 400}) {
    CAPTURE(depth);
    const auto r = check_with_limit(nested_lambdas(depth), 30);
    CHECK_FALSE(r.ok);
    bool located = false;
    for (const auto& d : r.diagnostics) {
      CHECK(d.rule != "internal");
      // At the bracket that went too deep, on the user's line.
      if (d.rule == "compile-limit" && d.line == 1 && d.column > 100) located = true;
    }
    CHECK(located);
  }
}

TEST_CASE("nested lambdas within the bracket depth compile, or stop at a limit, never crash") {
  const auto r = check_with_limit(nested_lambdas(120), 30);
  for (const auto& d : r.diagnostics) {
    INFO(d.line << ":" << d.column << ": " << d.message << " [" << d.rule << "]");
    CHECK(d.rule != "internal");
  }
  CHECK((r.ok || limit_hit(r)));
}
