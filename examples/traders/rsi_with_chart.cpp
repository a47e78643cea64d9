// A simple trader with a chart: RSI(14) on 15m leaving oversold, with the RSI
// and its 9-bar EMA plotted in their own panel and EMA(50) on the price.
vyx::Series smoothed_rsi(const vyx::Candles& k) {
  return vyx::ema_series(vyx::rsi_series(k.close(), 14), 9);
}

bool filter(const vyx::Market& m) {
  const auto& k = m.klines("15m");
  if (k.size() < 60) return false;
  const vyx::Series rsi = vyx::rsi_series(k.close(), 14);
  vyx::emit("rsi", rsi.last());
  vyx::emit("rsi_smooth", smoothed_rsi(k).last());
  return vyx::crossover(rsi, 30.0);
}

void series(const vyx::Market& m, vyx::Plot& plot) {
  const auto& k = m.klines("15m");
  plot.line("rsi14", vyx::rsi_series(k.close(), 14));
  plot.line("rsi14_ema9", smoothed_rsi(k));
  plot.line("ema50", vyx::ema_series(k.close(), 50), vyx::Pane::price);
}
