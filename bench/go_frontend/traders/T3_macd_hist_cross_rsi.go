// T3 as a Go body: 5m MACD(12,26,9) histogram crosses up through zero with RSI(14) > 50.
k := data.Klines["5m"]
if len(k) < 50 {
    return false
}
macd := indicators.CalculateMACD(k, 12, 26, 9)
rsi := indicators.GetLatestRSI(k, 14)
if macd == nil || rsi == nil {
    return false
}
h := macd.Histogram
return h[len(h)-2] <= 0 && h[len(h)-1] > 0 && *rsi > 50
