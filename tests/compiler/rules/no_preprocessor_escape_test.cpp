// dialect-no-preprocessor-escape: no #pragma, #line, __has_include, keyword macros, host-path macros. The refused code carries its expected diagnostic on
// the offending line (`// expect: rule-id@"where it points" "message part"`); the accepted code must check clean.
#include <doctest/doctest.h>

#include "support/compile_support.hpp"

TEST_CASE("dialect-no-preprocessor-escape: refused code") {
  vyx::test::expect_marks(R"trader(
#pragma GCC optimize("O0")  // expect: dialect-no-preprocessor-escape@"#pragma" "#pragma"
#line 100 "other.cpp"  // expect: dialect-no-preprocessor-escape@"#line" "#line"
#define return_if __has_include(<x>)  // expect: dialect-no-preprocessor-escape@"__has_include" "__has_include"
#define private public  // expect: dialect-no-preprocessor-escape@"private" "keyword"
#define VYX_SDK_VERSION "9"  // expect: dialect-no-preprocessor-escape@"VYX_SDK_VERSION"
bool filter(const vyx::Market& m) {
  _Pragma("once")  // expect: dialect-no-preprocessor-escape@"_Pragma" "_Pragma"
  return m.klines("5m").size() > sizeof(__FILE__);  // expect: dialect-no-preprocessor-escape@"__FILE__" "__FILE__"
}
)trader");
}

TEST_CASE("dialect-no-preprocessor-escape: accepted code") {
  vyx::test::expect_marks(R"trader(
#define PERIOD 14
#define OVERSOLD(x) ((x) < 30)
bool filter(const vyx::Market& m) { return OVERSOLD(vyx::rsi(m.klines("5m").close(), PERIOD)); }
)trader");
}
