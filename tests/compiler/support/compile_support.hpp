// Helpers shared by the compiler tests: one compiler per test process over a
// cache in the build tree, and the "expect" marks of the rule tests.
#pragma once

#include <string>

#include "vyx/compiler/compiler.hpp"

namespace vyx::test {

vyx::compiler::compiler& shared_compiler();

vyx::compiler::compile_result check_code(const std::string& code);
vyx::compiler::compile_result build_code(const std::string& code,
                                         const std::string& name = "test_trader");

// Checks `code` and requires exactly the diagnostics its marks announce. A
// mark sits on the offending line itself: the rule id, `@` and a quoted
// anchor (the diagnostic's column is where the anchor first appears on the
// line; '...' when the anchor holds a double quote), then optionally a quoted
// piece of the message:
//   long bits = *reinterpret_cast<long*>(&d);  // expect: dialect-no-reinterpret@"reinterpret_cast" "reinterprets"
// Code without marks must check clean.
void expect_marks(const std::string& code);

std::string read_text(const std::string& path);

}  // namespace vyx::test
