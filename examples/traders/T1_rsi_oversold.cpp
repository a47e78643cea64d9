// T1: RSI(14) oversold (< 30) on the 5m timeframe.
bool filter(const vyx::Market& m) {
  const auto& k = m.klines("5m");
  if (k.size() < 15) return false;
  const double rsi = vyx::rsi(k.close(), 14);
  if (vyx::isnan(rsi)) return false;
  vyx::emit("rsi", rsi);
  return rsi < 30.0;
}
