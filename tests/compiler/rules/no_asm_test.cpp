// dialect-no-asm: no inline assembly or asm labels. The refused code carries its expected diagnostic on
// the offending line (`// expect: rule-id@"where it points" "message part"`); the accepted code must check clean.
#include <doctest/doctest.h>

#include "support/compile_support.hpp"

TEST_CASE("dialect-no-asm: refused code") {
  vyx::test::expect_marks(R"trader(
int renamed asm("vyx_plugin_entry");  // expect: dialect-no-asm@"renamed" "asm labels" dialect-no-global-state@"renamed"
bool filter(const vyx::Market& m) {
  asm volatile("nop");  // expect: dialect-no-asm@"asm" "inline assembly"
  return m.klines("5m").size() > 0;
}
)trader");
}

TEST_CASE("dialect-no-asm: accepted code") {
  vyx::test::expect_marks(R"trader(
bool filter(const vyx::Market& m) { return m.klines("5m").size() > 0; }
)trader");
}
