// T3: on 5m the MACD(12,26,9) histogram crosses up through zero, with RSI(14) > 50.
bool filter(const vyx::Market& m) {
  const auto& k = m.klines("5m");
  if (k.size() < 50) return false;

  const vyx::MacdSeries macd = vyx::macd_series(k.close(), 12, 26, 9);
  const double hist_now = macd.histogram.ago(0);
  const double hist_prev = macd.histogram.ago(1);
  const double rsi = vyx::rsi(k.close(), 14);
  return hist_prev <= 0 && hist_now > 0 && rsi > 50.0;
}
