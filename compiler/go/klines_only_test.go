// Which functions skip building their MarketData: only those that read it as
// data.Klines["<constant>"] and nothing else, never where it could be
// written through (klines_only.go).
package main

import (
	"strings"
	"testing"
)

const builder = "vyx::go::market_builder vyx_builder(vyx_market);"

func TestMarketDataBuiltOnlyWhenReadOtherwise(t *testing.T) {
	cases := []struct {
		name, body string
		built      bool
	}{
		{"one window", "k := data.Klines[\"5m\"]\nreturn len(k) > 1", false},
		{"two windows, read twice", "a := data.Klines[\"1h\"]\nreturn len(a) > 1 && len(data.Klines[\"1m\"]) > len(data.Klines[\"1h\"])", false},
		{"in a closure", "f := func() int { return len(data.Klines[\"5m\"]) }\nreturn f() > 1", false},
		{"a named constant key", "const tf = \"15m\"\nreturn len(data.Klines[tf]) > 1", false},
		{"an element read", "return data.Klines[\"5m\"][0].Close > 0", false},
		{"no data at all", "return true", false},
		{"symbol", "return data.Symbol == \"BTCUSDT\" && len(data.Klines[\"5m\"]) > 1", true},
		{"ticker", "return data.Ticker != nil", true},
		{"timestamp", "return data.Timestamp.Hour() > 1", true},
		{"the map itself", "return len(data.Klines) > 0", true},
		{"a ranged map", "n := 0\nfor range data.Klines {\n\tn++\n}\nreturn n > 0 && len(data.Klines[\"5m\"]) > 1", true},
		{"a variable key", "tf := \"5m\"\nreturn len(data.Klines[tf]) > 1", true},
		{"comma ok", "k, ok := data.Klines[\"5m\"]\nreturn ok && len(k) > 1", true},
		{"comma ok var", "var k, ok = data.Klines[\"5m\"]\nreturn ok && len(k) > 1", true},
		{"a window assigned", "data.Klines[\"5m\"] = nil\nreturn len(data.Klines[\"5m\"]) == 0", true},
		{"an element assigned", "data.Klines[\"5m\"][0].Close = 1\nreturn data.Klines[\"5m\"][0].Close == 1", true},
		{"an element incremented", "data.Klines[\"5m\"][0].Close++\nreturn true", true},
		{"an address", "p := &data.Klines[\"5m\"][0]\nreturn p.Close > 0", true},
		{"ranged into", "for _, data.Klines[\"5m\"][0].Close = range []float64{1} {\n}\nreturn true", true},
		{"data passed on", "f := func(d *types.MarketData) bool { return d != nil }\nreturn f(data)", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := accepted(t, job{File: "t.go", Code: c.body})
			if got := strings.Contains(r.Cpp, builder); got != c.built {
				t.Fatalf("builds the MarketData %v, want %v:\n%s", got, c.built, r.Cpp)
			}
			if !c.built && strings.Contains(r.Cpp, "data->") {
				t.Fatalf("reads a MarketData it did not build:\n%s", r.Cpp)
			}
		})
	}
}

// The series function decides for itself, as the filter does.
func TestSeriesBuildsItsOwnMarketData(t *testing.T) {
	r := accepted(t, job{File: "t.go", Code: "return len(data.Klines[\"1m\"]) > 1",
		Series: "return map[string]interface{}{\"s\": data.Symbol}"})
	series := strings.Index(r.Cpp, "void series(")
	if strings.Contains(r.Cpp[:series], builder) || !strings.Contains(r.Cpp[series:], builder) {
		t.Fatalf("want the MarketData built in the series only:\n%s", r.Cpp)
	}
}
