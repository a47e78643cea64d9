// Go native fuzzing of the whole translation, seeded with the sample bodies:
// whatever the input, translate returns (no panic escapes, no hang) and an
// accepted body has a line map entry for every generated line; the same for
// the input as seriesCode.
package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func FuzzTranslate(f *testing.F) {
	files, _ := filepath.Glob("../../tests/data/compat/traders/*.go")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("return true")
	f.Add("x := []int{1}\nfor i := range x { _ = i }\nreturn false")
	f.Fuzz(func(t *testing.T, body string) {
		check(t, translate(job{File: "f.go", Code: body}))
		// The same text as seriesCode (where "return true" does not type-check).
		check(t, translate(job{File: "f.go", Code: "return true", Series: body}))
	})
}

func check(t *testing.T, r result) {
	if r.Ok && len(r.Lines) != strings.Count(r.Cpp, "\n") {
		t.Fatalf("line map: %d entries for %d lines", len(r.Lines), strings.Count(r.Cpp, "\n"))
	}
	for _, d := range r.Diagnostics {
		if d.Line < 1 || d.Column < 1 || d.Rule == "" {
			t.Fatalf("bad diagnostic %+v", d)
		}
		if d.Rule == "internal" {
			t.Fatalf("internal error: %s", d.Message)
		}
	}
}
