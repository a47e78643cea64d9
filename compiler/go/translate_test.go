// Refusals and constructs of the translator: every refusal names its rule and
// the body's line and column; every accepted construct translates.
package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRefusals(t *testing.T) {
	cases := []struct {
		name, body, rule string
		line, col        int
	}{
		{"goroutine", "x := 1\ngo func() { x++ }()\nreturn x > 0", "go-no-goroutines", 2, 1},
		{"channel type", "var c chan int\n_ = c\nreturn true", "go-no-channels", 1, 7},
		{"channel send", "return true\n// c <- 1", "", 0, 0},
		{"select", "x := 0\n  select {}\nreturn x == 0", "go-no-select", 2, 3},
		{"defer", "defer func() {}()\nreturn true", "go-no-defer", 1, 1},
		{"panic", "if len(data.Klines) == 0 {\n\tpanic(\"no data\")\n}\nreturn true", "go-no-panic", 2, 2},
		{"recover", "_ = recover()\nreturn true", "go-no-panic", 1, 5},
		{"import", "import \"os\"\nreturn true", "go-no-import", 1, 1},
		{"os", "_ = os.Getenv(\"HOME\")\nreturn true", "go-no-os", 1, 5},
		{"net", "x := 1\n_, _ = net.Dial(\"tcp\", \"x\")\nreturn x > 0", "go-no-net", 2, 8},
		{"unsafe", "var x int\n_ = unsafe.Sizeof(x)\nreturn true", "go-no-unsafe", 2, 5},
		{"reflect", "_ = reflect.TypeOf(1)\nreturn true", "go-no-reflect", 1, 5},
		{"syscall", "syscall.Exit(0)\nreturn true", "go-no-syscall", 1, 1},
		{"io", "_ = io.EOF\nreturn true", "go-no-io", 1, 5},
		{"method outside", "return true\n}\nfunc (k T) M() {}\nfunc x() {", "go-no-methods", 3, 1},
		{"func outside", "return true\n}\nfunc helper() int { return 1 }\nfunc x() {", "go-no-top-level-decl", 3, 1},
		{"type outside", "return true\n}\ntype T int\nfunc x() {", "go-no-top-level-decl", 3, 1},
		{"does not type-check", "x := \"a\" + 1\nreturn x == \"\"", "go-type-check", 1, 6},
		{"undefined", "return missing > 0", "go-type-check", 1, 8},
		{"wrong return", "return 1", "go-type-check", 1, 8},
		{"syntax", "if x := 1; x > {\n}\nreturn true", "go-syntax", 1, 16},
		{"goto", "goto end\nend:\nreturn true", "go-no-goto", 1, 1},
		{"unknown timeframe", "k := data.Klines[\"7m\"]\nreturn len(k) > 0", "go-unknown-timeframe", 1, 18},
		{"type switch", "var x interface{} = 1\nswitch x.(type) {\n}\nreturn true", "go-unsupported", 2, 1},
		{"assertion to an interface", "var x interface{} = 1\n_ = x.(interface{})\nreturn true", "go-unsupported", 2, 5},
		{"complex", "c := complex(1, 2)\n_ = c\nreturn true", "go-unsupported", 1, 6},
		{"channel close", "close(nil)\nreturn true", "go-no-channels", 1, 1},
		{"sleep", "x := 1\n  time.Sleep(time.Second)\nreturn x > 0", "go-no-sleep", 2, 8},
		{"timer channel", "_ = time.After(time.Second)\nreturn true", "go-no-channels", 1, 10},
		{"after func", "time.AfterFunc(time.Second, func() {})\nreturn true", "go-no-goroutines", 1, 6},
		{"clock and errors", "e := errors.New(\"x\")\nreturn time.Since(time.Now()) == 0 && e != nil", "", 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := translate(job{File: "t.go", Code: c.body})
			if c.rule == "" {
				if !r.Ok {
					t.Fatalf("refused: %+v", r.Diagnostics)
				}
				return
			}
			if r.Ok {
				t.Fatalf("accepted, want %s", c.rule)
			}
			d := r.Diagnostics[0]
			if d.Rule != c.rule || d.Line != c.line || d.Column != c.col {
				t.Fatalf("got %+v, want %s at %d:%d", r.Diagnostics, c.rule, c.line, c.col)
			}
			if d.Message == "" {
				t.Fatal("empty message")
			}
		})
	}
}

func TestConstructsTranslate(t *testing.T) {
	bodies := map[string]string{
		"var const if else": "const n = 3\nvar x int\nif x < n { x = n } else if x > n { x-- } else { x++ }\nreturn x == n",
		"three for forms":   "s := 0\nfor i := 0; i < 3; i++ { s += i }\nfor s < 10 { s++ }\nfor { break }\nreturn s == 10",
		"range":             "m := map[string]int{\"a\": 1}\nt := 0\nfor k, v := range m { t += v + len(k) }\nfor i, r := range \"hé\" { t += i + int(r) }\nfor _, x := range []int{1, 2} { t += x }\nreturn t > 0",
		"switch":            "x := 2\nswitch x {\ncase 1, 2:\n\tx = 10\n\tfallthrough\ncase 3:\n\tx++\ndefault:\n\tx = 0\n}\nswitch { case x > 5: x = 1 }\nreturn x == 1",
		"labels":            "n := 0\nouter:\nfor i := 0; i < 3; i++ {\n\tfor j := 0; j < 3; j++ {\n\t\tif j == 1 { continue outer }\n\t\tif i == 2 { break outer }\n\t\tn++\n\t}\n}\nreturn n == 2",
		"slices":            "s := make([]float64, 2, 4)\ns = append(s, 1, 2)\nt := s[1:3]\nc := copy(t, []float64{5})\nreturn len(s) == 4 && cap(s) == 4 && c == 1 && s[1] == 5",
		"structs":           "type P struct { X, Y int }\np := P{X: 1}\nq := struct{ A float64 }{2}\npp := &p\npp.Y = 3\nreturn p.Y == 3 && q.A == 2",
		"closure multi":     "f := func(a int) (int, bool) { return a * 2, a > 0 }\nv, ok := f(2)\nreturn ok && v == 4",
		"pointers":          "e := indicators.CalculateEMA(data.Klines[\"1m\"], 5)\nif e == nil { return false }\nreturn *e > 0",
		"std names":         "x := math.Abs(-1) + math.Max(1, 2)\ns := strconv.Itoa(3) + fmt.Sprintf(\"%d\", 4)\nreturn x == 3 && strings.HasPrefix(s, \"3\") && data.Timestamp.Hour() >= 0",
		"integer semantics": "a := 7\nb := -2\nc := a / b\nd := a % b\nvar u uint8 = 255\nu++\nreturn c == -3 && d == 1 && u == 0",
		"unused":            "unused := 5\nreturn true",
		"type assertions":   "var v interface{} = 1.5\nf := v.(float64)\ns, ok := v.(string)\nif n, isInt := v.(int); isInt { f += float64(n) }\nreturn ok || f > 1 || s == \"\"",
		"shadowing":         "x := 1\n{\n\tx := x + 1\n\t_ = x\n}\nif x := 5; x > 2 { return x == 5 }\nreturn x == 1",
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			r := translate(job{File: "t.go", Code: body})
			if !r.Ok {
				t.Fatalf("refused: %+v", r.Diagnostics)
			}
			if len(r.Lines) != strings.Count(r.Cpp, "\n") {
				t.Fatalf("%d map entries for %d lines", len(r.Lines), strings.Count(r.Cpp, "\n"))
			}
		})
	}
}

func TestSampleBodiesAndTimeframes(t *testing.T) {
	files, _ := filepath.Glob("../../tests/data/compat/traders/*.go")
	if len(files) == 0 {
		t.Fatal("no sample bodies")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r := translate(job{File: f, Code: string(b)})
		if !r.Ok || len(r.Timeframes) == 0 {
			t.Fatalf("%s: %+v", f, r.Diagnostics)
		}
	}
	r := translate(job{Code: "a := data.Klines[\"5m\"]\nb := data.Klines[\"1h\"]\nreturn len(a) > len(b)"})
	if strings.Join(r.Timeframes, ",") != "5m,1h" {
		t.Fatalf("timeframes %v", r.Timeframes)
	}
}
