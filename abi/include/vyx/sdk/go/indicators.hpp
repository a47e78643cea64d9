// The platform's 16 indicator helpers (shared/PLATFORM.md, "The indicator
// functions"), for translated Go traders: bit-exact with the platform,
// including its operation order (plugins build with -ffp-contract=off).
//
// Why this is not vyx::ta (indicators/, TA-Lib-exact): the platform's
// helpers differ from TA-Lib on purpose and a Go trader must keep them:
// EMA seeded with the first close (TA-Lib: the SMA of the first n), zeros
// instead of NaN before warm-up, MASeries and Bollinger summing each window
// newest to oldest (TA-Lib: a running sum), population sd around each
// index's own middle, RSI 50/100 on flat series, the Stochastic D = K*0.9,
// a whole-slice VWAP with (H+L+C)/3, and nil results where TA-Lib has
// lookback. These functions are only for the Go compat layer. They are
// defined in abi/src/go/indicators.cpp, compiled once into the plugin archive
// that every trader links; their arithmetic is in indicator_kernels.hpp,
// which the host compiles too: the series ones are asked of the host first
// (VYX_IND_GO_*), which computes each once per symbol and tick for every Go
// trader, and computed by the plugin otherwise.
#pragma once

#include "vyx/sdk/go/types.hpp"

namespace vyx::go::indicators {

struct BollingerBandsResult {
  slice<double> Upper, Middle, Lower;
};
struct MACDResult {
  slice<double> MACD, Signal, Histogram;
};
struct RSIResult {
  slice<double> Values;
};
struct StochasticResult {
  double K{}, D{};
};
struct LatestMACD {
  double MACD{}, Signal{}, Histogram{};
};
struct LatestBands {
  double Upper{}, Middle{}, Lower{};
};

using Klines = slice<types::Kline>;
using vyx::go::kline_field;

// Each function below is the platform's, with its arguments' names; nil
// where the platform returns nil. The series ones are asked of the host first.
ptr<double> CalculateMA(const Klines& k, long period);
slice<double> CalculateMASeries(const Klines& k, long period);
slice<double> CalculateEMASeries(const Klines& k, long period);
// The last value of the EMA series: the same steps in the same order.
ptr<double> CalculateEMA(const Klines& k, long period);
ptr<RSIResult> CalculateRSI(const Klines& k, long period);
// The newest non-zero value of CalculateRSI's series.
ptr<double> GetLatestRSI(const Klines& k, long period);
ptr<MACDResult> CalculateMACD(const Klines& k, long fast_period, long slow_period,
                              long signal_period);
ptr<LatestMACD> GetLatestMACD(const Klines& k, long fast, long slow, long signal);
ptr<BollingerBandsResult> CalculateBollingerBands(const Klines& k, long period, double mult);
ptr<LatestBands> GetLatestBollingerBands(const Klines& k, long period, double mult);
ptr<double> GetHighestHigh(const Klines& k, long period);
ptr<double> GetLowestLow(const Klines& k, long period);
// D is K * 0.9, as the platform's; the D period is unused there too.
ptr<StochasticResult> CalculateStochastic(const Klines& k, long k_period, long d_period);
ptr<double> CalculateAvgVolume(const Klines& k, long period);
// Over the whole slice, typical price (H+L+C)/3; 0 without volume.
double CalculateVWAP(const Klines& k);
// "bullish", "bearish" or "" from the last two closed candles before the newest.
string DetectEngulfingPattern(const Klines& k);

}  // namespace vyx::go::indicators
