// T2: on 1m the close crosses down through EMA(50), while the close is below
// EMA(200) and volume is over 1.2x its 20-bar average (current bar included).
bool filter(const vyx::Market& m) {
  const auto& k = m.klines("1m");
  if (k.size() < 201) return false;

  const vyx::Series close = k.close();
  const vyx::Series ema50 = vyx::ema_series(close, 50);
  const double ema200 = vyx::ema(close, 200);
  const double avg_volume = vyx::avg_volume(k, 20);

  const bool cross_down = close.ago(1) >= ema50.ago(1) && close.last() < ema50.last();
  const bool below_ema200 = close.last() < ema200;
  const bool volume_spike = k.volume().last() > avg_volume * 1.2;
  return cross_down && below_ema200 && volume_spike;
}
