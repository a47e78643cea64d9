// T2 as a Go body: 1m close crosses down through EMA(50), below EMA(200), volume > 1.2x its 20-bar average.
k := data.Klines["1m"]
if len(k) < 201 {
    return false
}
ema50 := indicators.CalculateEMASeries(k, 50)
ema200 := indicators.CalculateEMA(k, 200)
avg := indicators.CalculateAvgVolume(k, 20)
n := len(k)
crossDown := k[n-2].Close >= ema50[n-2] && k[n-1].Close < ema50[n-1]
return crossDown && k[n-1].Close < *ema200 && k[n-1].Volume > *avg*1.2
