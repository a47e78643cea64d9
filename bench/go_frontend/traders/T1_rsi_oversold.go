// T1 (examples/traders/T1_rsi_oversold.cpp) as a platform Go body: RSI(14) < 30 on 5m.
k := data.Klines["5m"]
if len(k) < 15 {
    return false
}
rsi := indicators.GetLatestRSI(k, 14)
return rsi != nil && *rsi < 30.0
