// dialect-no-exceptions: no throw, try or catch. The refused code carries its expected diagnostic on
// the offending line (`// expect: rule-id@"where it points" "message part"`); the accepted code must check clean.
#include <doctest/doctest.h>

#include "support/compile_support.hpp"

TEST_CASE("dialect-no-exceptions: refused code") {
  vyx::test::expect_marks(R"trader(
bool filter(const vyx::Market& m) {
  if (m.klines("5m").size() == 0) throw 1;  // expect: dialect-no-exceptions@"throw" "return false"
  return true;
}
)trader");
}

TEST_CASE("dialect-no-exceptions: accepted code") {
  vyx::test::expect_marks(R"trader(
bool filter(const vyx::Market& m) {
  if (m.klines("5m").size() == 0) return false;
  return true;
}
)trader");
}
