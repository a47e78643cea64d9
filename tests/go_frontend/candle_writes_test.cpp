// A trader's candles are a view of the host's columns until it writes to
// them (abi/include/vyx/sdk/go/types.hpp): writes must behave as Go's
// slices do, shared by every slice of the same backing array, and the
// indicators must then read the written values.
#include <doctest/doctest.h>

#include "go_support.hpp"

using vyx::test::expect_true;

TEST_CASE("writing to the market's candles behaves as Go's shared slices") {
  expect_true("field_write_seen_by_alias",
              "k := data.Klines[\"5m\"]\na := k[1:3]\na[0].Close = 42\n"
              "return k[1].Close == 42 && a[0].Close == 42 && len(a) == 2 && cap(a) == len(k)-1");
  expect_true("element_assignment_and_swap",
              "k := data.Klines[\"5m\"]\nfirst, second := k[0], k[1]\nk[0], k[1] = k[1], k[0]\n"
              "return k[0] == second && k[1] == first && k[2].OpenTime > k[0].OpenTime");
  expect_true("pointer_to_candle",
              "k := data.Klines[\"1m\"]\np := &k[len(k)-1]\np.Volume = 0\np.Close++\n"
              "last := k[len(k)-1]\nreturn last.Volume == 0 && last.Close == p.Close");
  expect_true("copy_and_append_leave_the_market_alone",
              "k := data.Klines[\"15m\"]\nmine := make([]types.Kline, 3)\nn := copy(mine, k)\n"
              "mine[0].High = -1\nmore := append(k, mine[0])\nmore[0].Low = -5\n"
              "return n == 3 && k[0].High != -1 && k[0].Low != -5 && len(more) == len(k)+1 && more[len(more)-1].High == -1");
  expect_true("indicators_read_written_candles",
              "k := data.Klines[\"5m\"]\nbefore := indicators.CalculateMA(k, 3)\n"
              "for i := len(k) - 3; i < len(k); i++ { k[i].Close = 10 }\n"
              "after := indicators.CalculateMA(k, 3)\nk[2].High = 1e9\n"
              "high := indicators.GetHighestHigh(k[:5], 5)\n"
              "return before != nil && *before != 10 && after != nil && *after == 10 && high != nil && *high == 1e9");
  expect_true("sorting_candles",
              "k := data.Klines[\"1h\"][:10]\nsort.Slice(k, func(i, j int) bool { return k[i].Close > k[j].Close })\n"
              "for i := 1; i < len(k); i++ { if k[i].Close > k[i-1].Close { return false } }\n"
              "return data.Klines[\"1h\"][0].Close == k[0].Close");
}
