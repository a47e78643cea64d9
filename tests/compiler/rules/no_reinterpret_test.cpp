// dialect-no-reinterpret: no casts that reinterpret memory or drop const. The refused code carries its expected diagnostic on
// the offending line (`// expect: rule-id@"where it points" "message part"`); the accepted code must check clean.
#include <doctest/doctest.h>

#include "support/compile_support.hpp"

TEST_CASE("dialect-no-reinterpret: refused code") {
  vyx::test::expect_marks(R"trader(
bool filter(const vyx::Market& m) {
  double d = m.klines("5m").close().last();
  long bits = *reinterpret_cast<long*>(&d);  // expect: dialect-no-reinterpret@"reinterpret_cast" "reinterprets memory"
  const vyx::Market* p = &m;
  vyx::Market* q = const_cast<vyx::Market*>(p);  // expect: dialect-no-reinterpret@"const_cast"
  char* c = (char*)&d;  // expect: dialect-no-reinterpret@"(" "this cast"
  return bits > 0 && q != nullptr && c != nullptr;
}
)trader");
}

TEST_CASE("dialect-no-reinterpret: accepted code") {
  vyx::test::expect_marks(R"trader(
bool filter(const vyx::Market& m) {
  const double d = m.klines("5m").close().last();
  const int whole = static_cast<int>(d > 1e9 ? 0 : d);
  return static_cast<double>(whole) + 0.5 > d;
}
)trader");
}
