// doctest's main for the indicator test binary (every *_test.cpp here).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
