// Which bodies read the host's indicator windows in place: only those that
// cannot write to a []float64 (float_writes.go). Every way to write counts,
// and a read-only body gets the hook in its C++.
package main

import (
	"strings"
	"testing"
)

const borrowHook = "vyx::sdk_detail::go_borrow_served_windows();"

// accepted: the translation of j, which must not be refused.
func accepted(t *testing.T, j job) result {
	t.Helper()
	r := translate(j)
	if !r.Ok {
		t.Fatalf("refused: %+v", r.Diagnostics)
	}
	return r
}

func TestServedWindowsBorrowedOnlyWithoutWrites(t *testing.T) {
	const bb = "k := data.Klines[\"1h\"]\nbb := indicators.CalculateBollingerBands(k, 20, 2.0)\nif bb == nil { return false }\n"
	cases := []struct {
		name, body string
		borrows    bool
	}{
		{"reads only", bb + "w := func(i int) float64 { return bb.Upper[i] - bb.Lower[i] }\nreturn w(len(k)-1) < w(len(k)-2)", true},
		{"appends to its own slice", bb + "var xs []float64\nxs = append(xs, bb.Upper[0])\nreturn len(xs) == 1", true},
		{"reads a reslice", bb + "t := bb.Upper[1:3]\nreturn t[0] > 0", true},
		{"no indicators", "return len(data.Klines[\"1m\"]) > 0", true},
		{"element assigned", bb + "bb.Upper[0] = 1\nreturn true", false},
		{"element op-assigned", bb + "bb.Middle[1] += 2\nreturn true", false},
		{"element incremented", bb + "bb.Lower[2]++\nreturn true", false},
		{"assigned in a closure", bb + "f := func(s []float64) { s[0] = 0 }\nf(bb.Upper)\nreturn true", false},
		{"assigned through a map", bb + "m := map[string][]float64{\"u\": bb.Upper}\nm[\"u\"][0] = 1\nreturn true", false},
		{"assigned through a pointer", bb + "p := &bb.Upper\n(*p)[0] = 1\nreturn true", false},
		{"assigned after an assertion", bb + "var v interface{} = bb.Upper\nv.([]float64)[0] = 1\nreturn true", false},
		{"range assigns an element", bb + "for _, bb.Upper[0] = range []float64{1} {\n}\nreturn true", false},
		{"element address", bb + "p := &bb.Upper[0]\n*p = 2\nreturn true", false},
		{"copy into", bb + "copy(bb.Upper, []float64{1})\nreturn true", false},
		{"sort", bb + "sort.Float64s(bb.Upper)\nreturn true", false},
		{"sort through an interface", bb + "var v interface{} = bb.Upper\nsort.Slice(v, func(i, j int) bool { return i < j })\nreturn true", false},
		{"append after a reslice", bb + "t := bb.Upper[:10]\nt = append(t, 1)\nreturn len(t) == 11", false},
		{"ema series written", "e := indicators.CalculateEMASeries(data.Klines[\"1m\"], 5)\ne[len(e)-1] = 0\nreturn true", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := accepted(t, job{File: "t.go", Code: c.body})
			if got := strings.Contains(r.Cpp, borrowHook); got != c.borrows {
				t.Fatalf("borrows %v, want %v:\n%s", got, c.borrows, r.Cpp)
			}
		})
	}
}

func TestSeriesCodeDecidesForItself(t *testing.T) {
	body := "return true"
	series := "e := indicators.CalculateEMASeries(data.Klines[\"1m\"], 5)\ne[0] = 1\nreturn map[string]interface{}{}"
	r := translate(job{File: "t.go", Code: body, Series: series})
	if !r.Ok {
		t.Fatalf("refused: %+v", r.Diagnostics)
	}
	if strings.Count(r.Cpp, borrowHook) != 1 {
		t.Fatalf("want the hook in the filter only:\n%s", r.Cpp)
	}
	filter := r.Cpp[:strings.Index(r.Cpp, "void series(")]
	if !strings.Contains(filter, borrowHook) {
		t.Fatalf("the read-only filter lacks the hook:\n%s", r.Cpp)
	}
}
