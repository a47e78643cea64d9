// dialect-entry-signature: filter and series have the SDK's signatures. The refused code carries its expected diagnostic on
// the offending line (`// expect: rule-id@"where it points" "message part"`); the accepted code must check clean.
#include <doctest/doctest.h>

#include "support/compile_support.hpp"

TEST_CASE("dialect-entry-signature: refused code") {
  vyx::test::expect_marks(R"trader(
bool filter(vyx::Market m) { return m.klines("5m").size() > 0; }  // expect: dialect-entry-signature@"filter" "bool filter(const vyx::Market& m)"
int series(const vyx::Market& m, vyx::Plot& plot) { return 0; }  // expect: dialect-entry-signature@"series" "void series"
)trader");
}

TEST_CASE("dialect-entry-signature: accepted code") {
  vyx::test::expect_marks(R"trader(
bool filter(const vyx::Market& m) { return m.klines("5m").size() > 0; }
void series(const vyx::Market& m, vyx::Plot& plot) { plot.line("close", m.klines("5m").close()); }
)trader");
}
