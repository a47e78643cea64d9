// A trader that calls every SDK entry point documented in compiler/README.md,
// built and run by tests/compiler/sdk_surface_test.cpp. It counts the calls
// whose newest value is finite on 300 rising-and-falling candles and emits
// the count; every call must build (no host symbol the plugin cannot import)
// and run without a fault.

int counted(double x) { return vyx::isfinite(x) ? 1 : 0; }

bool filter(const vyx::Market& m) {
  const vyx::Candles k = m.klines("5m");
  const vyx::Series c = k.close();
  int n = 0;
  // Indicators on any series: value and series forms.
  n += counted(vyx::sma(c, 10)) + counted(vyx::sma_series(c, 10).last());
  n += counted(vyx::ema(c, 10)) + counted(vyx::ema_series(c, 10).last());
  n += counted(vyx::wma(c, 10)) + counted(vyx::wma_series(c, 10).last());
  n += counted(vyx::dema(c, 10)) + counted(vyx::dema_series(c, 10).last());
  n += counted(vyx::tema(c, 10)) + counted(vyx::tema_series(c, 10).last());
  n += counted(vyx::kama(c, 10)) + counted(vyx::kama_series(c, 10).last());
  n += counted(vyx::rsi(c, 14)) + counted(vyx::rsi_series(c, 14).last());
  n += counted(vyx::roc(c, 10)) + counted(vyx::roc_series(c, 10).last());
  n += counted(vyx::mom(c, 10)) + counted(vyx::mom_series(c, 10).last());
  // Indicators on the candles.
  n += counted(vyx::atr(k, 14)) + counted(vyx::atr_series(k, 14).last());
  n += counted(vyx::natr(k, 14)) + counted(vyx::natr_series(k, 14).last());
  n += counted(vyx::adx(k, 14)) + counted(vyx::adx_series(k, 14).last());
  n += counted(vyx::plus_di(k, 14)) + counted(vyx::plus_di_series(k, 14).last());
  n += counted(vyx::minus_di(k, 14)) + counted(vyx::minus_di_series(k, 14).last());
  n += counted(vyx::cci(k, 20)) + counted(vyx::cci_series(k, 20).last());
  n += counted(vyx::mfi(k, 14)) + counted(vyx::mfi_series(k, 14).last());
  n += counted(vyx::willr(k, 14)) + counted(vyx::willr_series(k, 14).last());
  n += counted(vyx::vwap_rolling(k, 20)) + counted(vyx::vwap_rolling_series(k, 20).last());
  n += counted(vyx::trange(k)) + counted(vyx::trange_series(k).last());
  n += counted(vyx::obv(k)) + counted(vyx::obv_series(k).last());
  n += counted(vyx::vwap(k)) + counted(vyx::vwap_series(k).last());
  n += counted(vyx::avg_volume(k, 20)) + counted(vyx::avg_volume_series(k, 20).last());
  n += counted(vyx::highest(k, 20)) + counted(vyx::highest_series(k, 20).last());
  n += counted(vyx::lowest(k, 20)) + counted(vyx::lowest_series(k, 20).last());
  n += counted(vyx::stoch(k, 14, 3, 3).k) + counted(vyx::stoch_series(k, 14, 3, 3).d.last());
  n += counted(vyx::aroon(k, 14).up) + counted(vyx::aroon_series(k, 14).down.last());
  n += counted(vyx::sar(k, 0.02, 0.2)) + counted(vyx::sar_series(k, 0.02, 0.2).last());
  // Several outputs.
  n += counted(vyx::macd(c, 12, 26, 9).histogram) + counted(vyx::macd_series(c, 12, 26, 9).signal.last());
  n += counted(vyx::bbands(c, 20, 2.0).upper) + counted(vyx::bbands(c, 20, 2.0, 1.5).lower);
  n += counted(vyx::bbands_series(c, 20, 2.0).middle.last());
  n += counted(vyx::stochrsi(c, 14, 14, 3).k) + counted(vyx::stochrsi_series(c, 14, 14, 3).d.last());
  n += counted(vyx::stochrsi_smoothed(c, 14, 14, 3, 3).k) +
       counted(vyx::stochrsi_smoothed_series(c, 14, 14, 3, 3).d.last());
  // Helpers and series arithmetic.
  const vyx::Series fast = vyx::ema_series(c, 5), slow = vyx::ema_series(c, 20);
  n += (vyx::crossover(fast, slow) || !vyx::crossover(fast, slow)) ? 1 : 0;
  n += (vyx::crossunder(fast, slow) || !vyx::crossunder(fast, slow)) ? 1 : 0;
  n += (vyx::crossover(c, 100.0) || !vyx::crossover(c, 100.0)) ? 1 : 0;
  n += (vyx::crossunder(c, 100.0) || !vyx::crossunder(c, 100.0)) ? 1 : 0;
  const vyx::Series mixed = (c + k.open()) * 0.5 - k.low() / 2.0 + 1.0;
  n += counted(vyx::sum_of(mixed, 5)) + counted(vyx::mean_of(c, 5)) + counted(vyx::max_of(c, 5)) +
       counted(vyx::min_of(c, 5));
  n += counted(c[0]) + counted(c.ago(1)) + counted(c.tail(3).last()) + (c.size() == k.size() ? 1 : 0);
  double sum = 0;
  for (double x : k.high().tail(3)) sum += x;
  n += counted(sum);
  n += counted(k.volume().last()) + counted(k.quote_volume().last()) +
       counted(k.taker_buy_volume().last()) + counted(k.trades().last()) +
       counted(k.open_time().last()) + counted(k.close_time().last());
  n += k.has_forming() ? 0 : 1;
  n += vyx::isnan(k.forming().close) ? 1 : 0;
  // The market, the ticker and the symbol.
  const vyx::Ticker t = m.ticker();
  n += counted(t.last_price) + counted(t.price_change_percent) + counted(t.quote_volume);
  n += (m.symbol() == "BTCUSDT" && m.symbol().starts_with("BTC") && m.symbol().ends_with("USDT")) ? 1 : 0;
  n += m.now_ms() > 0 ? 1 : 0;
  // Math.
  const double x = 2.5;
  n += counted(vyx::abs(-x) + vyx::sqrt(x) + vyx::cbrt(x) + vyx::pow(x, 2) + vyx::exp(1.0) +
              vyx::log(x) + vyx::log10(x) + vyx::log2(x) + vyx::floor(x) + vyx::ceil(x) +
              vyx::round(x) + vyx::trunc(x) + vyx::fmod(x, 1.0) + vyx::sin(x) + vyx::cos(x) +
              vyx::tan(x) + vyx::atan(x) + vyx::atan2(x, 1.0) + vyx::tanh(x) +
              vyx::hypot(x, 1.0) + vyx::min(x, 1.0) + vyx::max(x, 1.0) +
              vyx::clamp(x, 0.0, 1.0) + vyx::round_to(x, 1) + vyx::percent_change(2.0, x) +
              vyx::pi + vyx::abs(-3) + vyx::min(1, 2) + vyx::max(1, 2) + vyx::clamp(5, 0, 3));
  n += (vyx::isnan(vyx::nan) && vyx::isinf(vyx::infinity)) ? 1 : 0;
  vyx::emit("calls", n);
  return n > 0;
}

void series(const vyx::Market& m, vyx::Plot& plot) {
  const vyx::Candles k = m.klines("5m");
  plot.line("rsi14", vyx::rsi_series(k.close(), 14));
  plot.line("vwap20", vyx::vwap_rolling_series(k, 20), vyx::Pane::price);
  plot.bar("stochk", vyx::stoch_series(k, 14, 3, 3).k);
}
