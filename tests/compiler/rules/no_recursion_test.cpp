// dialect-no-recursion: no recursion, direct or mutual. The refused code carries its expected diagnostic on
// the offending line (`// expect: rule-id@"where it points" "message part"`); the accepted code must check clean.
#include <doctest/doctest.h>

#include "support/compile_support.hpp"

TEST_CASE("dialect-no-recursion: refused code") {
  vyx::test::expect_marks(R"trader(
int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }  // expect: dialect-no-recursion@"fib" "calls itself"
bool is_odd(int n);
bool is_even(int n) { return n == 0 ? true : is_odd(n - 1); }  // expect: dialect-no-recursion@"is_even" "through is_odd"
bool is_odd(int n) { return n == 0 ? false : is_even(n - 1); }
bool filter(const vyx::Market& m) { return fib(5) > 0 && is_even(4) && m.klines("5m").size() > 0; }
)trader");
}

TEST_CASE("dialect-no-recursion: accepted code") {
  vyx::test::expect_marks(R"trader(
int fib(int n) {
  int a = 0, b = 1;
  for (int i = 0; i < n; ++i) { const int t = a + b; a = b; b = t; }
  return a;
}
bool filter(const vyx::Market& m) { return fib(10) == 55 && m.klines("5m").size() > 0; }
)trader");
}
