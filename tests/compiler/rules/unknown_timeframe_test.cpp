// dialect-unknown-timeframe: known timeframes, as string literals. The refused code carries its expected diagnostic on
// the offending line (`// expect: rule-id@"where it points" "message part"`); the accepted code must check clean.
#include <doctest/doctest.h>

#include "support/compile_support.hpp"

TEST_CASE("dialect-unknown-timeframe: refused code") {
  vyx::test::expect_marks(R"trader(
bool filter(const vyx::Market& m) {
  const char* tf = "5m";
  const auto& a = m.klines("7m");  // expect: dialect-unknown-timeframe@'"7m"' "unknown timeframe"
  const auto& b = m.klines(tf);  // expect: dialect-unknown-timeframe@"tf" "string literal"
  return a.size() + b.size() > 0;
}
)trader");
}

TEST_CASE("dialect-unknown-timeframe: accepted code") {
  vyx::test::expect_marks(R"trader(
bool filter(const vyx::Market& m) {
  return m.klines("1m").size() + m.klines("5m").size() + m.klines("15m").size() + m.klines("1h").size() +
             m.klines("4h").size() + m.klines("1d").size() > 0;
}
)trader");
}
