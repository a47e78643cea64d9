// dialect-no-extern: no extern declarations or language linkage. The refused code carries its expected diagnostic on
// the offending line (`// expect: rule-id@"where it points" "message part"`); the accepted code must check clean.
#include <doctest/doctest.h>

#include "support/compile_support.hpp"

TEST_CASE("dialect-no-extern: refused code") {
  vyx::test::expect_marks(R"trader(
extern double host_secret;  // expect: dialect-no-extern@"host_secret" "extern variable"
extern "C" int getpid();  // expect: dialect-no-extern@"extern" dialect-no-extern@"extern"
bool filter(const vyx::Market& m) { return m.klines("5m").size() > 0; }
)trader");
}

TEST_CASE("dialect-no-extern: accepted code") {
  vyx::test::expect_marks(R"trader(
static double half(double x) { return x / 2; }
bool filter(const vyx::Market& m) { return half(m.klines("5m").close().last()) > 0; }
)trader");
}
