// Each construct the issue lists, translated, checked by the unchanged
// dialect checker, built and run: the body returns true exactly when the
// construct behaved as Go specifies.
#include <doctest/doctest.h>

#include "go_support.hpp"

using vyx::test::expect_true;

TEST_CASE("Go constructs run with Go's semantics") {
  expect_true("decls", "const n = 3\nvar x int\nvar y = 2.5\nif x < n { x = n } else if x > n { x-- } else { x++ }\nreturn x == n && y == 2.5");
  expect_true("for_forms", "s := 0\nfor i := 0; i < 3; i++ { s += i }\nfor s < 10 { s++ }\nfor { break }\nreturn s == 10");
  expect_true("ranges", "m := map[string]int{\"a\": 1, \"bb\": 2}\nt := 0\nfor k, v := range m { t += v + len(k) }\nfor i, r := range \"hé\" { t += i + int(r) }\nfor _, x := range []int{1, 2} { t += x }\nreturn t == 6 + 104 + 1 + 233 + 3");
  expect_true("switch_fallthrough", "x := 2\nswitch x {\ncase 1, 2:\n\tx = 10\n\tfallthrough\ncase 3:\n\tx++\ndefault:\n\tx = 0\n}\nswitch { case x > 5: x = 1 }\nreturn x == 1");
  expect_true("labels", "n := 0\nouter:\nfor i := 0; i < 3; i++ {\n\tfor j := 0; j < 3; j++ {\n\t\tif j == 1 { continue outer }\n\t\tif i == 2 { break outer }\n\t\tn++\n\t}\n}\nreturn n == 2");
  expect_true("slices", "s := make([]float64, 2, 4)\ns = append(s, 1, 2)\nt := s[1:3]\nc := copy(t, []float64{5})\nu := append(s[:1], 9)\nreturn len(s) == 4 && cap(s) == 4 && c == 1 && s[1] == 9 && len(u) == 2");
  expect_true("structs", "type P struct { X, Y int }\np := P{X: 1}\nq := struct{ A float64 }{2}\npp := &p\npp.Y = 3\nreturn p.Y == 3 && q.A == 2 && p == P{1, 3}");
  expect_true("closures", "count := 0\ninc := func() { count++ }\ninc()\ninc()\nf := func(a int) (int, bool) { return a * 2, a > 0 }\nv, ok := f(2)\nreturn ok && v == 4 && count == 2");
  expect_true("pointers", "e := indicators.CalculateEMA(data.Klines[\"1m\"], 5)\nif e == nil { return false }\nnone := indicators.CalculateEMA(data.Klines[\"1m\"][:2], 5)\nreturn *e > 0 && none == nil");
  expect_true("std_names", "x := math.Abs(-1) + math.Max(1, 2)\ns := strconv.Itoa(3) + fmt.Sprintf(\"%d-%s\", 4, \"z\")\nreturn x == 3 && s == \"34-z\" && strings.ToUpper(\"a\") == \"A\" && data.Timestamp.Unix() == 1700000000");
  expect_true("integers", "a := 7\nb := -2\nc := a / b\nd := a % b\nvar u uint8 = 255\nu++\nbig := math.MaxInt64\nbig++\nreturn c == -3 && d == 1 && u == 0 && big == math.MinInt64 && 7/2 == 3 && 7.0/2 == 3.5");
  expect_true("unused_and_shadowing", "unused := 5\nx := 1\n{\n\tx := x + 1\n\t_ = x\n}\nif x := 5; x > 2 { return x == 5 }\nreturn x == 1");
  expect_true("maps", "m := make(map[string]float64)\nm[\"a\"] += 2\nm[\"b\"] = 1\ndelete(m, \"b\")\nv, ok := m[\"b\"]\nreturn len(m) == 1 && m[\"a\"] == 2 && !ok && v == 0");
  expect_true("timestamp", "t := data.Timestamp\nreturn t.Hour() == 22 && t.Minute() == 13 && t.Year() == 2023 && t.Weekday() == time.Tuesday && t.UnixMilli() == 1700000000000");
  expect_true("kline_fields", "k := data.Klines[\"5m\"]\nlast := k[len(k)-1]\nreturn len(k) == 250 && last.SellVolume == last.Volume-last.BuyVolume && last.VolumeDelta == last.BuyVolume-last.SellVolume && last.Trades > 0");
}
