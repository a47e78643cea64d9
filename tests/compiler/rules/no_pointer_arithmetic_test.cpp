// dialect-no-pointer-arithmetic: no arithmetic or indexing through raw pointers. The refused code carries its expected diagnostic on
// the offending line (`// expect: rule-id@"where it points" "message part"`); the accepted code must check clean.
#include <doctest/doctest.h>

#include "support/compile_support.hpp"

TEST_CASE("dialect-no-pointer-arithmetic: refused code") {
  vyx::test::expect_marks(R"trader(
bool filter(const vyx::Market& m) {
  double values[4] = {1, 2, 3, 4};
  const double* p = values;
  p = p + 2;  // expect: dialect-no-pointer-arithmetic@"+" "pointer arithmetic"
  ++p;  // expect: dialect-no-pointer-arithmetic@"+"
  return p[1] > 0 && m.klines("5m").size() > 0;  // expect: dialect-no-pointer-arithmetic@"p" "indexing through a pointer"
}
)trader");
}

TEST_CASE("dialect-no-pointer-arithmetic: accepted code") {
  vyx::test::expect_marks(R"trader(
bool filter(const vyx::Market& m) {
  double values[4] = {1, 2, 3, 4};
  const vyx::Series close = m.klines("5m").close();
  return values[2] + close[0] + close.ago(1) > 0;
}
)trader");
}
