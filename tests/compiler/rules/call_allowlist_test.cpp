// dialect-call-allowlist: only the SDK and the user's own code. The refused code carries its expected diagnostic on
// the offending line (`// expect: rule-id@"where it points" "message part"`); the accepted code must check clean.
#include <doctest/doctest.h>

#include "support/compile_support.hpp"

TEST_CASE("dialect-call-allowlist: refused code") {
  vyx::test::expect_marks(R"trader(
bool filter(const vyx::Market& m) {
  const double x = m.klines("5m").close().last();
  const double r = std::sqrt(x);  // expect: dialect-call-allowlist@"sqrt" "resolves to 'sqrt'"
  const double s = __builtin_sqrt(x);  // expect: dialect-call-allowlist@"__builtin_sqrt"
  vyx::ta::columns c;  // expect: dialect-call-allowlist@"vyx::ta::columns" "internal to the SDK"
  vyx::sdk_detail::state.status = 0;  // expect: dialect-call-allowlist@"state" dialect-call-allowlist@"state"
  // The Go translations' hook: C++ that could then write to the host's windows may not call it.
  vyx::sdk_detail::go_borrow_served_windows();  // expect: dialect-call-allowlist@"go_borrow_served_windows" "internal to the SDK"
  int* leak = new int(1);  // expect: dialect-call-allowlist@"new" "'new' is not allowed"
  return r + s > 0 && c.size == 0 && leak != nullptr;  // expect: dialect-call-allowlist@"size" "'vyx::ta::columns::size'"
}
)trader");
}

TEST_CASE("dialect-call-allowlist: accepted code") {
  vyx::test::expect_marks(R"trader(
double typical(const vyx::Candles& k, int i) { return (k.high()[i] + k.low()[i] + k.close()[i]) / 3; }
bool filter(const vyx::Market& m) {
  const auto& k = m.klines("5m");
  if (k.size() < 30) return false;
  const double r = vyx::sqrt(vyx::abs(typical(k, k.size() - 1)));
  return r > 0 && vyx::crossover(k.close(), vyx::sma_series(k.close(), 20)) == false;
}
)trader");
}
