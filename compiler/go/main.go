// vyx-go-frontend: turns a platform Go trader body into C++ dialect source
// plus a map from every generated line back to the Go line and column.
//
//	vyx-go-frontend                       child mode: the compile child's envelope on
//	                                      stdin, the JSON answer on fd 3 (run jailed)
//	vyx-go-frontend translate FILE.go [SERIES.go]  the C++ on stdout, diagnostics on stderr
//	vyx-go-frontend json FILE.go [SERIES] the JSON answer on stdout
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

type job struct {
	File   string `json:"file"`
	Code   string `json:"code"`
	Series string `json:"series"`
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: vyx-go-frontend [translate|json FILE.go [SERIES.go]] (SERIES.go: the seriesCode)")
	os.Exit(2)
}

func main() {
	if len(os.Args) == 1 {
		os.Exit(serveChild())
	}
	if len(os.Args) < 3 {
		usage()
	}
	code, err := os.ReadFile(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "vyx-go-frontend:", err)
		os.Exit(2)
	}
	j := job{File: os.Args[2], Code: string(code)}
	seriesFile := ""
	if len(os.Args) > 3 {
		seriesFile = os.Args[3]
		s, err := os.ReadFile(os.Args[3])
		if err != nil {
			fmt.Fprintln(os.Stderr, "vyx-go-frontend:", err)
			os.Exit(2)
		}
		j.Series = string(s)
	}
	r := translate(j)
	switch os.Args[1] {
	case "translate":
		for _, d := range r.Diagnostics {
			file := j.File
			if d.Part == partSeries {
				file = seriesFile
			}
			fmt.Fprintf(os.Stderr, "%s:%d:%d: error: %s [%s]\n", file, d.Line, d.Column, d.Message, d.Rule)
		}
		if !r.Ok {
			os.Exit(1)
		}
		fmt.Print(r.Cpp)
	case "json":
		out, _ := json.Marshal(r)
		fmt.Println(string(out))
	default:
		usage()
	}
}

// serveChild reads the compile child's envelope (compiler/src/compile_child.cpp):
// header lines, then "job\n" and the JSON job; answers on fd 3.
func serveChild() int {
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		return 4
	}
	text := string(in)
	at := strings.Index(text, "\njob\n")
	if !strings.HasPrefix(text, "vyx-child\t1\n") || at < 0 {
		return 4
	}
	var j job
	if err := json.Unmarshal([]byte(text[at+5:]), &j); err != nil {
		return 4
	}
	if err := lockDown(); err != nil {
		return 5
	}
	out, _ := json.Marshal(translate(j))
	answer := os.NewFile(3, "answer")
	if _, err := answer.Write(out); err != nil {
		return 6
	}
	return 0
}
