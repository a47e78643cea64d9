// The dialect twin of tests/data/compat/traders/P1_rsi_oversold_volume.go
// (same inputs and shape; the dialect's RSI is TA-Lib's), for the compile
// time comparison in run.sh.
bool filter(const vyx::Market& m) {
  const auto& k = m.klines("5m");
  if (k.size() < 20) return false;
  const double rsi = vyx::rsi(k.close(), 14);
  if (vyx::isnan(rsi)) return false;
  const auto& one = m.klines("1m");
  const double avg = vyx::avg_volume(one, 20);
  if (vyx::isnan(avg)) return false;
  const double current = one.volume().last();
  if (vyx::isnan(m.ticker().quote_volume) || m.ticker().quote_volume < 1000.0) return false;
  return rsi < 42.0 && current > avg * 0.9;
}
