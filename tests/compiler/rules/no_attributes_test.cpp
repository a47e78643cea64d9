// dialect-no-attributes: no attributes but harmless standard ones. The refused code carries its expected diagnostic on
// the offending line (`// expect: rule-id@"where it points" "message part"`); the accepted code must check clean.
#include <doctest/doctest.h>

#include "support/compile_support.hpp"

TEST_CASE("dialect-no-attributes: refused code") {
  vyx::test::expect_marks(R"trader(
__attribute__((constructor)) void early() {}  // expect: dialect-no-attributes@"constructor" "constructor"
[[gnu::visibility("default")]] int exported() { return 1; }  // expect: dialect-no-attributes@"gnu::visibility"
bool filter(const vyx::Market& m) { return exported() > 0 && m.klines("5m").size() > 0; }
)trader");
}

// override and final are keywords, recorded by clang as attributes: not refused.
TEST_CASE("dialect-no-attributes: override and final are accepted") {
  vyx::test::expect_marks(R"trader(
struct rule {
  virtual ~rule() = default;
  virtual bool holds(double x) const { return x > 0; }
};
struct above final : rule {
  double level = 1;
  bool holds(double x) const override { return x > level; }
};
struct strict : rule {
  bool holds(double x) const final { return x > 2; }
};
bool filter(const vyx::Market& m) {
  const above a;
  const strict s;
  const rule& r = a;
  const double c = m.klines("5m").close().last();
  return r.holds(c) && s.holds(c);
}
)trader");
}

TEST_CASE("dialect-no-attributes: accepted code") {
  vyx::test::expect_marks(R"trader(
[[nodiscard]] double mid(double a, double b) { return (a + b) / 2; }
bool filter(const vyx::Market& m) {
  [[maybe_unused]] const int unused = 1;
  const auto& k = m.klines("5m");
  if (k.size() < 2) [[unlikely]] return false;
  return mid(k.high().last(), k.low().last()) > 0;
}
)trader");
}
