// T4 as a Go body: the 1h Bollinger(20, 2) bandwidth is the lowest of the last 50 bars.
k := data.Klines["1h"]
if len(k) < 70 {
    return false
}
bb := indicators.CalculateBollingerBands(k, 20, 2.0)
if bb == nil {
    return false
}
width := func(i int) float64 { return (bb.Upper[i] - bb.Lower[i]) / bb.Middle[i] }
n := len(k)
current := width(n - 1)
for i := n - 50; i < n-1; i++ {
    if width(i) < current {
        return false
    }
}
return true
