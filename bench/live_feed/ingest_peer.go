// The Go backend's approach on the same frames: encoding/json into structs
// with string fields, strconv.ParseFloat per decimal (one core).
//   go run ingest_peer.go FRAMES_FILE [repeat]
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"time"
)

type kline struct {
	T0 int64  `json:"t"`
	F  int64  `json:"f"`
	LL int64  `json:"L"`
	VV string `json:"V"`
	QQ string `json:"Q"`
	B  string `json:"B"`
	T1 int64  `json:"T"`
	S  string `json:"s"`
	I  string `json:"i"`
	O  string `json:"o"`
	C  string `json:"c"`
	H  string `json:"h"`
	L  string `json:"l"`
	V  string `json:"v"`
	N  int64  `json:"n"`
	X  bool   `json:"x"`
	Q  string `json:"q"`
}

type event struct {
	Stream string `json:"stream"`
	Data   struct {
		E  string `json:"e"`
		Et int64  `json:"E"`
		K  kline  `json:"k"`
	} `json:"data"`
}

func main() {
	runtime.GOMAXPROCS(1)
	f, err := os.Open(os.Args[1])
	if err != nil {
		panic(err)
	}
	var lines [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, append([]byte(nil), sc.Bytes()...))
	}
	repeat := 20
	if len(os.Args) > 2 {
		repeat, _ = strconv.Atoi(os.Args[2])
	}
	var sum float64
	n := 0
	start := time.Now()
	for r := 0; r < repeat; r++ {
		for _, l := range lines {
			var e event
			if json.Unmarshal(l, &e) != nil {
				continue
			}
			o, _ := strconv.ParseFloat(e.Data.K.O, 64)
			c, _ := strconv.ParseFloat(e.Data.K.C, 64)
			h, _ := strconv.ParseFloat(e.Data.K.H, 64)
			lo, _ := strconv.ParseFloat(e.Data.K.L, 64)
			v, _ := strconv.ParseFloat(e.Data.K.V, 64)
			q, _ := strconv.ParseFloat(e.Data.K.Q, 64)
			sum += o + c + h + lo + v + q
			n++
		}
	}
	s := time.Since(start).Seconds()
	fmt.Printf("go encoding/json: %d kline messages in %.3f s = %.3f M/s (checksum %.1f)\n", n, s, float64(n)/s/1e6, sum)
}
