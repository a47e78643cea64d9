// dialect-no-include: no #include but the SDK header. The refused code carries its expected diagnostic on
// the offending line (`// expect: rule-id@"where it points" "message part"`); the accepted code must check clean.
#include <doctest/doctest.h>

#include "support/compile_support.hpp"

TEST_CASE("dialect-no-include: refused code") {
  vyx::test::expect_marks(R"trader(
#include <vector>  // expect: dialect-no-include@"#include" "is already included"
#include "../../etc/passwd"  // expect: dialect-no-include@"#include"
bool filter(const vyx::Market& m) { return m.klines("5m").size() > 0; }
)trader");
}

TEST_CASE("dialect-no-include: accepted code") {
  vyx::test::expect_marks(R"trader(
#include <vyx/trader.hpp>
bool filter(const vyx::Market& m) { return m.klines("5m").size() > 0; }
)trader");
}
