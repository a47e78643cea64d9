// dialect-no-rtti: no typeid or dynamic_cast. The refused code carries its expected diagnostic on
// the offending line (`// expect: rule-id@"where it points" "message part"`); the accepted code must check clean.
#include <doctest/doctest.h>

#include "support/compile_support.hpp"

TEST_CASE("dialect-no-rtti: refused code") {
  vyx::test::expect_marks(R"trader(
struct base { virtual ~base() = default; };
struct derived : base {};
bool filter(const vyx::Market& m) {
  derived d;
  base* b = &d;
  return dynamic_cast<derived*>(b) != nullptr && m.klines("5m").size() > 0;  // expect: dialect-no-rtti@"dynamic_cast" "dynamic_cast"
}
)trader");
}

TEST_CASE("dialect-no-rtti: accepted code") {
  vyx::test::expect_marks(R"trader(
struct shape { int kind = 1; virtual double area() const { return 0; } };
bool filter(const vyx::Market& m) {
  shape s;
  return s.kind == 1 && s.area() == 0 && m.klines("5m").size() > 0;
}
)trader");
}
