// Where a Go trader takes the host's shared window indicators (VYX_IND_GO_*):
// a host that fills every window with 42 shows which calls use its values.
// Only an unwritten window that ends with the newest candle is asked for; a
// result the trader writes to is its own copy, never the host's array.
#include <doctest/doctest.h>

#include "go_support.hpp"

using vyx::test::expect_true;
using vyx::test::go_host;

TEST_CASE("the window indicators come from the host when it serves them") {
  expect_true("served_42", R"(k := data.Klines["5m"]
n := len(k)
rsi := indicators.CalculateRSI(k, 14)
latest := indicators.GetLatestRSI(k, 14)
ema := indicators.CalculateEMA(k, 20)
emas := indicators.CalculateEMASeries(k, 20)
ma := indicators.CalculateMASeries(k, 20)
macd := indicators.CalculateMACD(k, 12, 26, 9)
bb := indicators.CalculateBollingerBands(k, 20, 2.0)
tail := indicators.CalculateRSI(k[100:], 14)
return rsi.Values[n-1] == 42 && *latest == 42 && *ema == 42 && emas[0] == 42 && ma[n-1] == 42 &&
    macd.Histogram[n-1] == 42 && macd.Signal[0] == 42 && bb.Upper[n-1] == 42 && bb.Lower[5] == 42 &&
    len(tail.Values) == n-100 && tail.Values[0] == 42)",
              go_host::fake_42);
}

TEST_CASE("a window that was written to or ends earlier is computed by the trader") {
  expect_true("computed_not_42", R"(k := data.Klines["5m"]
n := len(k)
early := indicators.CalculateRSI(k[:n-1], 14)
w := data.Klines["1m"]
w[0].Close = 99
written := indicators.CalculateEMASeries(w, 20)
return early.Values[n-2] != 42 && written[n-1] != 42 && len(written) == len(w))",
              go_host::fake_42);
}

TEST_CASE("a served result the trader writes to is the trader's copy") {
  expect_true("served_copy", R"(k := data.Klines["5m"]
a := indicators.CalculateRSI(k, 14)
a.Values[3] = 7
b := indicators.CalculateRSI(k, 14)
m := indicators.CalculateMACD(k, 12, 26, 9)
m.MACD[0] = 1
bb := indicators.CalculateBollingerBands(k, 20, 2.0)
bb.Middle[1] = 2
return a.Values[3] == 7 && b.Values[3] == 42 && m.Signal[0] == 42 && m.MACD[0] == 1 &&
    bb.Upper[1] == 42 && bb.Lower[1] == 42 && bb.Middle[1] == 2)",
              go_host::fake_42);
}
