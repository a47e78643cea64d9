// The packages a trader body sees, as Go declarations without bodies: the
// platform's types and indicators, and the subset of the standard library the
// SDK compat layer (abi/include/vyx/sdk/go/) implements. go/types checks the
// body against these, so whatever type-checks here has a C++ counterpart.
package main

var fakePackages = map[string]string{
	"types": `package types
import "time"
type Kline struct {
	OpenTime int64; Open float64; High float64; Low float64; Close float64
	Volume float64; BuyVolume float64; SellVolume float64; VolumeDelta float64
	QuoteVolume float64; Trades int; CloseTime int64
}
type Ticker struct {
	Symbol string; PriceChangePercent string; LastPrice string; QuoteVolume string
	EventTime int64; BidPrice string; AskPrice string; OpenPrice string; HighPrice string; LowPrice string
}
type SimplifiedTicker struct { LastPrice float64; PriceChangePercent float64; QuoteVolume float64 }
type MarketData struct {
	Symbol string; Ticker *SimplifiedTicker; Klines map[string][]Kline; Timestamp time.Time
}
type KlineInterval string
`,
	"indicators": `package indicators
import "types"
type BollingerBandsResult struct { Upper []float64; Middle []float64; Lower []float64 }
type MACDResult struct { MACD []float64; Signal []float64; Histogram []float64 }
type RSIResult struct { Values []float64 }
type StochasticResult struct { K float64; D float64 }
func CalculateMA(klines []types.Kline, period int) *float64
func CalculateMASeries(klines []types.Kline, period int) []float64
func CalculateEMA(klines []types.Kline, period int) *float64
func CalculateEMASeries(klines []types.Kline, period int) []float64
func CalculateRSI(klines []types.Kline, period int) *RSIResult
func GetLatestRSI(klines []types.Kline, period int) *float64
func CalculateMACD(klines []types.Kline, fastPeriod, slowPeriod, signalPeriod int) *MACDResult
func GetLatestMACD(klines []types.Kline, fastPeriod, slowPeriod, signalPeriod int) *struct { MACD float64; Signal float64; Histogram float64 }
func CalculateBollingerBands(klines []types.Kline, period int, mult float64) *BollingerBandsResult
func GetLatestBollingerBands(klines []types.Kline, period int, mult float64) *struct { Upper float64; Middle float64; Lower float64 }
func CalculateStochastic(klines []types.Kline, kPeriod, dPeriod int) *StochasticResult
func CalculateAvgVolume(klines []types.Kline, period int) *float64
func CalculateVWAP(klines []types.Kline) float64
func GetHighestHigh(klines []types.Kline, period int) *float64
func GetLowestLow(klines []types.Kline, period int) *float64
func DetectEngulfingPattern(klines []types.Kline) string
`,
	"math": `package math
const Pi = 3.14159265358979323846264338327950288419716939937510582097494459
const E = 2.71828182845904523536028747135266249775724709369995957496696763
const Sqrt2 = 1.41421356237309504880168872420969807856967187537694807317667974
const Ln2 = 0.693147180559945309417232121458176568075500134360255254120680009
const MaxFloat64 = 0x1p1023 * (1 + (1 - 0x1p-52))
const SmallestNonzeroFloat64 = 0x1p-1022 * 0x1p-52
const MaxInt = 1<<63 - 1
const MinInt = -1 << 63
const MaxInt64 = 1<<63 - 1
const MinInt64 = -1 << 63
const MaxInt32 = 1<<31 - 1
const MinInt32 = -1 << 31
func Abs(x float64) float64
func Max(x, y float64) float64
func Min(x, y float64) float64
func Sqrt(x float64) float64
func Cbrt(x float64) float64
func Pow(x, y float64) float64
func Exp(x float64) float64
func Log(x float64) float64
func Log10(x float64) float64
func Log2(x float64) float64
func Log1p(x float64) float64
func Floor(x float64) float64
func Ceil(x float64) float64
func Round(x float64) float64
func RoundToEven(x float64) float64
func Trunc(x float64) float64
func Mod(x, y float64) float64
func Sin(x float64) float64
func Cos(x float64) float64
func Tan(x float64) float64
func Atan(x float64) float64
func Atan2(y, x float64) float64
func Tanh(x float64) float64
func Hypot(p, q float64) float64
func Inf(sign int) float64
func NaN() float64
func IsNaN(f float64) bool
func IsInf(f float64, sign int) bool
func Signbit(x float64) bool
func Copysign(f, sign float64) float64
func Dim(x, y float64) float64
`,
	"strings": `package strings
func Contains(s, substr string) bool
func HasPrefix(s, prefix string) bool
func HasSuffix(s, suffix string) bool
func Index(s, substr string) int
func ToUpper(s string) string
func ToLower(s string) string
func TrimSpace(s string) string
func TrimSuffix(s, suffix string) string
func TrimPrefix(s, prefix string) string
func Repeat(s string, count int) string
func Split(s, sep string) []string
func Join(elems []string, sep string) string
func EqualFold(s, t string) bool
func Count(s, substr string) int
func ReplaceAll(s, old, new string) string
`,
	"strconv": `package strconv
func Itoa(i int) string
func Atoi(s string) (int, error)
func ParseFloat(s string, bitSize int) (float64, error)
func FormatFloat(f float64, fmt byte, prec, bitSize int) string
func FormatInt(i int64, base int) string
func ParseInt(s string, base int, bitSize int) (int64, error)
func FormatBool(b bool) string
`,
	"sort": `package sort
func Float64s(x []float64)
func Ints(x []int)
func Strings(x []string)
func Slice(x any, less func(i, j int) bool)
func SliceStable(x any, less func(i, j int) bool)
func SearchFloat64s(a []float64, x float64) int
func SearchInts(a []int, x int) int
`,
	"fmt": `package fmt
func Sprintf(format string, a ...any) string
func Sprint(a ...any) string
func Println(a ...any) (n int, err error)
func Printf(format string, a ...any) (n int, err error)
func Errorf(format string, a ...any) error
`,
	"time": `package time
type Duration int64
const (
	Nanosecond Duration = 1
	Microsecond = 1000 * Nanosecond
	Millisecond = 1000 * Microsecond
	Second = 1000 * Millisecond
	Minute = 60 * Second
	Hour = 60 * Minute
)
type Weekday int
const (
	Sunday Weekday = iota
	Monday
	Tuesday
	Wednesday
	Thursday
	Friday
	Saturday
)
type Month int
const (
	January Month = 1 + iota
	February
	March
	April
	May
	June
	July
	August
	September
	October
	November
	December
)
type Time struct { ms int64 }
func (t Time) Unix() int64
func (t Time) UnixMilli() int64
func (t Time) UnixNano() int64
func (t Time) Hour() int
func (t Time) Minute() int
func (t Time) Second() int
func (t Time) Day() int
func (t Time) Month() Month
func (t Time) Year() int
func (t Time) YearDay() int
func (t Time) Weekday() Weekday
func (t Time) Before(u Time) bool
func (t Time) After(u Time) bool
func (t Time) Equal(u Time) bool
func (t Time) Sub(u Time) Duration
func (t Time) Add(d Duration) Time
func (t Time) IsZero() bool
func (t Time) UTC() Time
func (t Time) Truncate(d Duration) Time
func (d Duration) Seconds() float64
func (d Duration) Minutes() float64
func (d Duration) Hours() float64
func (d Duration) Milliseconds() int64
func Unix(sec int64, nsec int64) Time
func UnixMilli(msec int64) Time
func Now() Time
func Since(t Time) Duration
func Until(t Time) Duration
`,
	"errors": `package errors
func New(text string) error
`,
}

// stdPackages may be used without an import, like Yaegi's ImportUsed.
var stdPackages = []string{"math", "strings", "strconv", "sort", "fmt", "time", "errors"}

// refusedTime: what a trader may not do with the clock: wait, or take a
// channel. (time.Now is the evaluation moment, like data.Timestamp, so a
// backtest sees the time a live run would.)
var refusedTime = map[string][2]string{
	"Sleep":     {"go-no-sleep", "time.Sleep is not allowed: a trader is one evaluation and may not wait; decide from the candles you have"},
	"After":     {"go-no-channels", "time.After returns a channel; traders have no channels or timers"},
	"Tick":      {"go-no-channels", "time.Tick returns a channel; traders have no channels or timers"},
	"NewTimer":  {"go-no-channels", "timers are not available to traders: a trader is one evaluation"},
	"NewTicker": {"go-no-channels", "tickers are not available to traders: a trader is one evaluation"},
	"AfterFunc": {"go-no-goroutines", "time.AfterFunc runs a goroutine; traders are one sequential evaluation"},
}

// refusedPackages: standard packages a trader may not reach, each with its rule.
var refusedPackages = map[string]string{
	"os": "go-no-os", "net": "go-no-net", "http": "go-no-net", "syscall": "go-no-syscall",
	"unsafe": "go-no-unsafe", "reflect": "go-no-reflect", "io": "go-no-io", "ioutil": "go-no-io",
	"bufio": "go-no-io", "exec": "go-no-os", "runtime": "go-no-runtime", "sync": "go-no-goroutines",
	"atomic": "go-no-goroutines", "plugin": "go-no-os", "filepath": "go-no-os", "log": "go-no-io",
	"rand": "go-no-rand", "debug": "go-no-runtime", "cgo": "go-no-unsafe", "context": "go-no-goroutines",
}
