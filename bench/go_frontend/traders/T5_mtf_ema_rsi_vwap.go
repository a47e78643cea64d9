// T5 as a Go body: 1h EMA(21) rising, 5m RSI(14) crosses above 30, last 5m close above the VWAP.
k1h := data.Klines["1h"]
k5m := data.Klines["5m"]
if len(k1h) < 22 || len(k5m) < 16 {
    return false
}
ema21 := indicators.CalculateEMASeries(k1h, 21)
if ema21[len(ema21)-1] <= ema21[len(ema21)-2] {
    return false
}
rsi := indicators.CalculateRSI(k5m, 14)
if rsi == nil {
    return false
}
v := rsi.Values
if !(v[len(v)-2] <= 30 && v[len(v)-1] > 30) {
    return false
}
return k5m[len(k5m)-1].Close > indicators.CalculateVWAP(k5m)
