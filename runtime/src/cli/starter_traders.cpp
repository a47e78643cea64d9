// Starter trader texts: templates with NAME where the trader's name goes.
#include "starter_traders.hpp"

namespace vyx::cli {

namespace {

constexpr const char* cpp_template =
    R"(// NAME: a starter trader in Vyx's C++ dialect (docs/writing-traders.md).
// The checker's verdict:  vyxc check NAME.cpp
// Re-run on every save:   vyx backtest --watch --trader NAME.cpp --data DATA
// The SDK (namespace vyx) is already included; nothing else may be.

// Called on every candle close, once per symbol: true means "signal".
bool filter(const vyx::Market& m) {
  // This symbol's closed 5m candles, oldest first. Timeframes are string
  // literals ("1m" "5m" "15m" "1h" "4h" "1d"): the compiler reads them to
  // know what history the trader needs.
  const auto& k = m.klines("5m");
  if (k.size() < 50) return false;  // not enough history for the EMA yet

  const double rsi = vyx::rsi(k.close(), 14);    // the newest RSI(14)
  const double trend = vyx::ema(k.close(), 50);  // the newest EMA(50)
  if (vyx::isnan(rsi) || vyx::isnan(trend)) return false;

  // Values emitted are stored with the signal (at most 16, names up to 31 bytes).
  vyx::emit("rsi", rsi);
  return rsi < 30 && k.close().last() > trend;  // oversold in an uptrend
}

// Optional: the series drawn on `vyx backtest --chart chart.html`.
void series(const vyx::Market& m, vyx::Plot& plot) {
  const auto& k = m.klines("5m");
  plot.line("rsi14", vyx::rsi_series(k.close(), 14));                      // its own panel
  plot.line("ema50", vyx::ema_series(k.close(), 50), vyx::Pane::price);  // over the candles
}
)";

constexpr const char* go_template =
    R"(// NAME: a starter trader as a platform Go body (docs/writing-traders.md):
// the inside of func evaluate(data *types.MarketData) bool, no package or imports.
// The checker's verdict:  vyxc check NAME.go
// Re-run on every save:   vyx backtest --watch --trader NAME.go --data DATA
// data.Klines[tf] holds the newest 250 closed candles of each timeframe the
// body names; time.Now() is the evaluation moment (the candle close), not the wall clock.

klines := data.Klines["5m"]
if len(klines) < 50 {
    return false // not enough history yet
}

rsi := indicators.GetLatestRSI(klines, 14)
if rsi == nil {
    return false
}

last := klines[len(klines)-1]
return *rsi < 30 && last.Close > last.Open // oversold, and this candle closed up
)";

std::string with_name(std::string text, const std::string& name) {
  for (auto at = text.find("NAME"); at != std::string::npos;
       at = text.find("NAME", at + name.size()))
    text.replace(at, 4, name);
  return text;
}

}  // namespace

std::string starter_cpp_trader(const std::string& name) {
  return with_name(cpp_template, name);
}

std::string starter_go_trader(const std::string& name) {
  return with_name(go_template, name);
}

}  // namespace vyx::cli
