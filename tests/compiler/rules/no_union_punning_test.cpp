// dialect-no-union-punning: no unions. The refused code carries its expected diagnostic on
// the offending line (`// expect: rule-id@"where it points" "message part"`); the accepted code must check clean.
#include <doctest/doctest.h>

#include "support/compile_support.hpp"

TEST_CASE("dialect-no-union-punning: refused code") {
  vyx::test::expect_marks(R"trader(
union bits {  // expect: dialect-no-union-punning@"bits" "use a struct"
  double d;
  long l;
};
bool filter(const vyx::Market& m) { bits b; b.d = 1; return b.l > 0 && m.klines("5m").size() > 0; }
)trader");
}

TEST_CASE("dialect-no-union-punning: accepted code") {
  vyx::test::expect_marks(R"trader(
struct pair_of { double d; long l; };
bool filter(const vyx::Market& m) { pair_of p{1, 2}; return p.l > 0 && m.klines("5m").size() > 0; }
)trader");
}
