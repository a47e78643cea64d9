// dialect-no-goto: no goto. The refused code carries its expected diagnostic on
// the offending line (`// expect: rule-id@"where it points" "message part"`); the accepted code must check clean.
#include <doctest/doctest.h>

#include "support/compile_support.hpp"

TEST_CASE("dialect-no-goto: refused code") {
  vyx::test::expect_marks(R"trader(
bool filter(const vyx::Market& m) {
  if (m.klines("5m").size() < 2) goto none;  // expect: dialect-no-goto@"goto" "use a loop"
  return true;
none:
  return false;
}
)trader");
}

TEST_CASE("dialect-no-goto: accepted code") {
  vyx::test::expect_marks(R"trader(
bool filter(const vyx::Market& m) {
  for (int i = 0; i < 3; ++i)
    if (i == 2) break;
  return m.klines("5m").size() > 2;
}
)trader");
}
