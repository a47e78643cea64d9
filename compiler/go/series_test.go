// seriesCode: translated as a second function beside the body, with its
// refusals and diagnostics at its own lines and columns, marked "series".
package main

import (
	"strings"
	"testing"
)

const typicalSeries = `klines := data.Klines["5m"]
ema := indicators.CalculateEMASeries(klines, 20)
points := []map[string]interface{}{}
for i, k := range klines {
    points = append(points, map[string]interface{}{"x": k.OpenTime, "y": ema[i]})
}
out := make(map[string]interface{})
out["ema20"] = points
var rows []interface{}
rows = append(rows, map[string]interface{}{"x": 1, "y": indicators.CalculateEMA(klines, 5)})
out["last"] = rows
if out["none"] == nil && out["last"] != nil {
    return out
}
return nil`

func TestSeriesTranslates(t *testing.T) {
	r := translate(job{File: "t.go", Code: "k := data.Klines[\"1m\"]\nreturn len(k) > 0", Series: typicalSeries})
	if !r.Ok {
		t.Fatalf("refused: %+v", r.Diagnostics)
	}
	if got := strings.Join(r.Timeframes, ","); got != "1m,5m" {
		t.Fatalf("timeframes %s, want the union 1m,5m", got)
	}
	if !strings.Contains(r.Cpp, "void series(const vyx::Market& vyx_market, vyx::Plot& vyx_plot) {") ||
		!strings.Contains(r.Cpp, "vyx::go::write_series(") {
		t.Fatalf("no series() in\n%s", r.Cpp)
	}
	if len(r.Lines) != strings.Count(r.Cpp, "\n") {
		t.Fatalf("%d map entries for %d lines", len(r.Lines), strings.Count(r.Cpp, "\n"))
	}
	// The append of line 5 of the series maps back there, marked as series.
	for i, text := range strings.Split(r.Cpp, "\n") {
		if strings.Contains(text, "points = vyx::go::append(") {
			if r.Lines[i] != [3]int{5, 5, 1} {
				t.Fatalf("append line maps to %v, want series 5:5", r.Lines[i])
			}
			return
		}
	}
	t.Fatal("no append line")
}

func TestSeriesDiagnosticsAreInTheSeries(t *testing.T) {
	cases := []struct {
		name, body, series, rule, part string
		line, col                      int
	}{
		{"type error", "return true", "x := 1\ny := \"a\" + 1\nreturn nil", "go-type-check", "series", 2, 6},
		{"goroutine", "return true", "x := 1\ngo func() { x++ }()\nreturn nil", "go-no-goroutines", "series", 2, 1},
		{"wrong result", "return true", "return 1", "go-type-check", "series", 1, 8},
		{"unknown timeframe", "return true", "_ = data.Klines[\"7m\"]\nreturn nil", "go-unknown-timeframe", "series", 1, 17},
		{"declaration after", "return true", "return nil\n}\nfunc helper() {", "go-no-top-level-decl", "series", 3, 1},
		{"second series", "return true", "return nil\n}\nfunc series(data *types.MarketData) map[string]interface{} {\nreturn nil", "go-no-top-level-decl", "series", 3, 1},
		{"body error stays in the body", "x := \"a\" + 1\nreturn x == \"\"", "return nil", "go-type-check", "", 1, 6},
		{"type switch", "return true", "var v interface{} = 1\nswitch v.(type) {\n}\nreturn nil", "go-unsupported", "series", 2, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := translate(job{File: "t.go", Code: c.body, Series: c.series})
			if r.Ok {
				t.Fatalf("accepted, want %s", c.rule)
			}
			d := r.Diagnostics[0]
			if d.Rule != c.rule || d.Part != c.part || d.Line != c.line || d.Column != c.col {
				t.Fatalf("got %+v, want %s in %q at %d:%d", r.Diagnostics, c.rule, c.part, c.line, c.col)
			}
		})
	}
}
