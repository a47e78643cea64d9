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

// Calls the AST cannot resolve: through a function pointer (to any function
// whose address is taken) and virtual (to any override).
TEST_CASE("dialect-no-recursion: recursion through a function pointer or a virtual call") {
  vyx::test::expect_marks(R"trader(
int twice(int (*f)(int), int n) { return f(n); }  // expect: dialect-no-recursion@"twice" "through walk"
int walk(int n) { return n <= 0 ? 0 : twice(walk, n - 1); }
struct node {
  virtual ~node() = default;
  virtual int depth(int n) const { return n; }
};
struct chain : node {
  int depth(int n) const override {  // expect: dialect-no-recursion@"depth" "calls itself"
    const node& self = *this;
    return n <= 0 ? 0 : self.depth(n - 1);
  }
};
bool filter(const vyx::Market& m) {
  const chain c;
  return walk(3) == 0 && c.depth(2) == 0 && m.klines("5m").size() > 0;
}
)trader");
}

TEST_CASE("dialect-no-recursion: function pointers and virtual calls without a cycle") {
  vyx::test::expect_marks(R"trader(
int inc(int x) { return x + 1; }
int apply(int (*f)(int), int x) { return f(x); }
struct shape {
  virtual ~shape() = default;
  virtual double area() const { return 0; }
};
struct square : shape {
  double side = 2;
  double area() const override { return side * side; }
};
double measure(const shape& s) { return s.area(); }
bool filter(const vyx::Market& m) {
  const square sq;
  return apply(inc, 1) == 2 && measure(sq) == 4 && m.klines("5m").size() > 0;
}
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
