// T5: multi-timeframe: the 1h EMA(21) is rising, the 5m RSI(14) crosses above
// 30, and the last 5m close is above the VWAP over all 5m bars.
double vwap_all(const vyx::Candles& k) {
  const vyx::Series high = k.high(), low = k.low(), close = k.close(), volume = k.volume();
  double pv = 0, vol = 0;
  for (int i = 0; i < k.size(); ++i) {
    const double typical = (high[i] + low[i] + close[i]) / 3;
    pv += volume[i] * typical;
    vol += volume[i];
  }
  return vol == 0 ? 0 : pv / vol;
}

bool filter(const vyx::Market& m) {
  const auto& k1h = m.klines("1h");
  const auto& k5m = m.klines("5m");
  if (k1h.size() < 22 || k5m.size() < 16) return false;

  const vyx::Series ema21 = vyx::ema_series(k1h.close(), 21);
  if (ema21.ago(0) <= ema21.ago(1)) return false;

  if (!vyx::crossover(vyx::rsi_series(k5m.close(), 14), 30.0)) return false;

  return k5m.close().last() > vwap_all(k5m);
}
