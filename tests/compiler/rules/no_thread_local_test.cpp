// dialect-no-thread-local: no thread_local. The refused code carries its expected diagnostic on
// the offending line (`// expect: rule-id@"where it points" "message part"`); the accepted code must check clean.
#include <doctest/doctest.h>

#include "support/compile_support.hpp"

TEST_CASE("dialect-no-thread-local: refused code") {
  vyx::test::expect_marks(R"trader(
bool filter(const vyx::Market& m) {
  thread_local int count = 0;  // expect: dialect-no-thread-local@"count" "use a local variable"
  return ++count > 1 && m.klines("5m").size() > 0;
}
)trader");
}

TEST_CASE("dialect-no-thread-local: accepted code") {
  vyx::test::expect_marks(R"trader(
bool filter(const vyx::Market& m) {
  int count = 0;
  return ++count > 0 && m.klines("5m").size() > 0;
}
)trader");
}
