// Translation time per body (bench/go_frontend/run.sh reports it).
package main

import (
	"os"
	"path/filepath"
	"testing"
)

func BenchmarkTranslate(b *testing.B) {
	files, _ := filepath.Glob("../../tests/data/compat/traders/*.go")
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(f), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if r := translate(job{Code: string(body)}); !r.Ok {
					b.Fatal(r.Diagnostics)
				}
			}
		})
	}
}
