// dialect-stack-frame-limit: locals stay under 64 KiB, no variable-length arrays. The refused code carries its expected diagnostic on
// the offending line (`// expect: rule-id@"where it points" "message part"`); the accepted code must check clean.
#include <doctest/doctest.h>

#include "support/compile_support.hpp"

TEST_CASE("dialect-stack-frame-limit: refused code") {
  vyx::test::expect_marks(R"trader(
bool filter(const vyx::Market& m) {  // expect: dialect-stack-frame-limit@"filter" "KiB of local variables"
  double window[10000];
  window[0] = m.klines("5m").close().last();
  return window[0] > 0;
}
)trader");
}

TEST_CASE("dialect-stack-frame-limit: accepted code") {
  vyx::test::expect_marks(R"trader(
bool filter(const vyx::Market& m) {
  double window[256] = {};
  window[0] = m.klines("5m").close().last();
  return window[0] > 0;
}
)trader");
}
