// T4: Bollinger Bands(20, 2) squeeze on 1h: the current bandwidth
// (upper - lower) / middle is the lowest of the last 50 bars.
double bandwidth(const vyx::BandsSeries& bb, int i) {
  return (bb.upper[i] - bb.lower[i]) / bb.middle[i];
}

bool filter(const vyx::Market& m) {
  const auto& k = m.klines("1h");
  if (k.size() < 70) return false;

  const vyx::BandsSeries bb = vyx::bbands_series(k.close(), 20, 2.0);
  const int n = k.size();
  const double current = bandwidth(bb, n - 1);
  // Any narrower band in the previous 49 bars means no squeeze.
  for (int i = n - 50; i < n - 1; ++i)
    if (bandwidth(bb, i) < current) return false;
  return true;
}
