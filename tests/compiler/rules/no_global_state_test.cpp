// dialect-no-global-state: no mutable state with static storage. The refused code carries its expected diagnostic on
// the offending line (`// expect: rule-id@"where it points" "message part"`); the accepted code must check clean.
#include <doctest/doctest.h>

#include "support/compile_support.hpp"

TEST_CASE("dialect-no-global-state: refused code") {
  vyx::test::expect_marks(R"trader(
int calls = 0;  // expect: dialect-no-global-state@"calls" "outlives the call"
namespace helpers { double last_price; }  // expect: dialect-no-global-state@"last_price"
bool filter(const vyx::Market& m) {
  static int seen = 0;  // expect: dialect-no-global-state@"seen" "static local"
  ++seen;
  return seen > calls && m.klines("5m").size() > 0;
}
)trader");
}

TEST_CASE("dialect-no-global-state: accepted code") {
  vyx::test::expect_marks(R"trader(
constexpr int period = 14;
const double oversold = 30.0;
constexpr double weights[3] = {0.5, 0.3, 0.2};
bool filter(const vyx::Market& m) {
  static constexpr int lookback = 3;
  return vyx::rsi(m.klines("5m").close(), period) < oversold * weights[lookback - 3] * 2;
}
)trader");
}
