// Indicators with several outputs or special inputs (MACD, Bollinger bands,
// stochastics, Aroon, SAR, volume average, highest/lowest), as latest values
// (small structs of doubles) and as whole series.
#pragma once

#include "vyx/sdk/indicator_core.hpp"
#include "vyx/indicators/sma.hpp"

namespace vyx {

struct Macd {
  double macd, signal, histogram;
};
struct MacdSeries {
  Series macd, signal, histogram;
};
struct Bands {
  double upper, middle, lower;
};
struct BandsSeries {
  Series upper, middle, lower;
};
struct Stoch {
  double k, d;
};
struct StochSeries {
  Series k, d;
};
struct Aroon {
  double down, up;
};
struct AroonSeries {
  Series down, up;
};

}  // namespace vyx
#include "vyx/indicators/macd.hpp"
namespace vyx {
inline MacdSeries macd_series(const Series& input, int fast, int slow, int signal) noexcept {
  Series out[3];
  const double params[] = {static_cast<double>(fast), static_cast<double>(slow),
                           static_cast<double>(signal)};
  sdk_detail::series_indicator<3>(input, sdk_detail::column::close, VYX_IND_MACD, params, 3, out,
                                  [&](const double* x, std::size_t n, double* const* o) {
                                    ta::macd(sdk_detail::close_only(x, n), fast, slow, signal, o[0],
                                             o[1], o[2]);
                                  });
  return MacdSeries{out[0], out[1], out[2]};
}
inline Macd macd(const Series& input, int fast, int slow, int signal) noexcept {
  const MacdSeries s = macd_series(input, fast, slow, signal);
  return Macd{s.macd.last(), s.signal.last(), s.histogram.last()};
}
}  // namespace vyx

#include "vyx/indicators/bbands.hpp"
namespace vyx {
inline BandsSeries bbands_series(const Series& input, int period, double mult_up,
                                 double mult_down) noexcept {
  Series out[3];
  const double params[] = {static_cast<double>(period), mult_up, mult_down};
  sdk_detail::series_indicator<3>(input, sdk_detail::column::close, VYX_IND_BBANDS, params, 3, out,
                                  [&](const double* x, std::size_t n, double* const* o) {
                                    ta::bbands(sdk_detail::close_only(x, n), period, mult_up,
                                               mult_down, o[0], o[1], o[2]);
                                  });
  return BandsSeries{out[0], out[1], out[2]};
}
inline BandsSeries bbands_series(const Series& input, int period, double mult) noexcept {
  return bbands_series(input, period, mult, mult);
}
inline Bands bbands(const Series& input, int period, double mult_up, double mult_down) noexcept {
  const BandsSeries s = bbands_series(input, period, mult_up, mult_down);
  return Bands{s.upper.last(), s.middle.last(), s.lower.last()};
}
inline Bands bbands(const Series& input, int period, double mult) noexcept {
  return bbands(input, period, mult, mult);
}
}  // namespace vyx

#include "vyx/indicators/stoch.hpp"
namespace vyx {
inline StochSeries stoch_series(const Candles& candles, int k, int slow_k, int d) noexcept {
  Series out[2];
  const double params[] = {static_cast<double>(k), static_cast<double>(slow_k),
                           static_cast<double>(d)};
  sdk_detail::candle_indicator<2>(
      candles, VYX_IND_STOCH, params, 3, out,
      [&](const ta::columns& c, double* const* o) { ta::stoch(c, k, slow_k, d, o[0], o[1]); });
  return StochSeries{out[0], out[1]};
}
inline Stoch stoch(const Candles& candles, int k, int slow_k, int d) noexcept {
  const StochSeries s = stoch_series(candles, k, slow_k, d);
  return Stoch{s.k.last(), s.d.last()};
}
}  // namespace vyx

#include "vyx/indicators/stochrsi.hpp"
namespace vyx {
inline StochSeries stochrsi_series(const Series& input, int rsi_period, int k, int d) noexcept {
  Series out[2];
  const double params[] = {static_cast<double>(rsi_period), static_cast<double>(k),
                           static_cast<double>(d)};
  sdk_detail::series_indicator<2>(input, sdk_detail::column::close, VYX_IND_STOCHRSI, params, 3,
                                  out, [&](const double* x, std::size_t n, double* const* o) {
                                    ta::stochrsi(sdk_detail::close_only(x, n), rsi_period, k, d,
                                                 o[0], o[1]);
                                  });
  return StochSeries{out[0], out[1]};
}
inline Stoch stochrsi(const Series& input, int rsi_period, int k, int d) noexcept {
  const StochSeries s = stochrsi_series(input, rsi_period, k, d);
  return Stoch{s.k.last(), s.d.last()};
}
// The chart-style "Stoch RSI 14 14 3 3": k smoothed over the stochastic of
// `stoch_period` RSI values, d the SMA of k.
inline StochSeries stochrsi_smoothed_series(const Series& input, int rsi_period, int stoch_period,
                                            int k, int d) noexcept {
  Series out[2];
  const double params[] = {static_cast<double>(rsi_period), static_cast<double>(stoch_period),
                           static_cast<double>(k), static_cast<double>(d)};
  sdk_detail::series_indicator<2>(
      input, sdk_detail::column::close, VYX_IND_STOCHRSI_SMOOTHED, params, 4, out,
      [&](const double* x, std::size_t n, double* const* o) {
        ta::stochrsi_smoothed(sdk_detail::close_only(x, n), rsi_period, stoch_period, k, d, o[0],
                              o[1]);
      });
  return StochSeries{out[0], out[1]};
}
inline Stoch stochrsi_smoothed(const Series& input, int rsi_period, int stoch_period, int k,
                               int d) noexcept {
  const StochSeries s = stochrsi_smoothed_series(input, rsi_period, stoch_period, k, d);
  return Stoch{s.k.last(), s.d.last()};
}
}  // namespace vyx

#include "vyx/indicators/aroon.hpp"
namespace vyx {
inline AroonSeries aroon_series(const Candles& candles, int period) noexcept {
  Series out[2];
  const double params[] = {static_cast<double>(period)};
  sdk_detail::candle_indicator<2>(
      candles, VYX_IND_AROON, params, 1, out,
      [&](const ta::columns& c, double* const* o) { ta::aroon(c, period, o[0], o[1]); });
  return AroonSeries{out[0], out[1]};
}
inline Aroon aroon(const Candles& candles, int period) noexcept {
  const AroonSeries s = aroon_series(candles, period);
  return Aroon{s.down.last(), s.up.last()};
}
}  // namespace vyx

#include "vyx/indicators/sar.hpp"
namespace vyx {
inline Series sar_series(const Candles& candles, double acceleration, double maximum) noexcept {
  Series out[1];
  const double params[] = {acceleration, maximum};
  sdk_detail::candle_indicator<1>(
      candles, VYX_IND_SAR, params, 2, out,
      [&](const ta::columns& c, double* const* o) { ta::sar(c, acceleration, maximum, o[0]); });
  return out[0];
}
inline double sar(const Candles& candles, double acceleration, double maximum) noexcept {
  return sar_series(candles, acceleration, maximum).last();
}
}  // namespace vyx

namespace vyx {

// The mean volume of the last `period` candles, the current one included.
inline Series avg_volume_series(const Candles& candles, int period) noexcept {
  Series out[1];
  const double params[] = {static_cast<double>(period)};
  sdk_detail::candle_indicator<1>(
      candles, VYX_IND_AVG_VOLUME, params, 1, out,
      [&](const ta::columns& c, double* const* o) { ta::sma_of(c.volume, c.size, period, o[0]); });
  return out[0];
}
inline double avg_volume(const Candles& candles, int period) noexcept {
  return avg_volume_series(candles, period).last();
}

namespace sdk_detail {
// Rolling extreme of `x` over `period` bars, NaN for the first period - 1.
template <bool highest>
void rolling_extreme(const double* x, std::size_t n, int period, double* out) noexcept {
  if (period < 1) period = 1;
  const std::size_t p = static_cast<std::size_t>(period);
  for (std::size_t i = 0; i < n; ++i) {
    if (i + 1 < p) {
      out[i] = nan_value;
      continue;
    }
    double m = x[i + 1 - p];
    for (std::size_t j = i + 2 - p; j <= i; ++j)
      if (highest ? x[j] > m : x[j] < m) m = x[j];
    out[i] = m;
  }
}
}  // namespace sdk_detail

// The highest high / lowest low of the last `period` candles.
inline Series highest_series(const Candles& candles, int period) noexcept {
  Series out[1];
  const double params[] = {static_cast<double>(period)};
  sdk_detail::candle_indicator<1>(candles, VYX_IND_HIGHEST, params, 1, out,
                                  [&](const ta::columns& c, double* const* o) {
                                    sdk_detail::rolling_extreme<true>(c.high, c.size, period, o[0]);
                                  });
  return out[0];
}
inline double highest(const Candles& candles, int period) noexcept {
  return highest_series(candles, period).last();
}
inline Series lowest_series(const Candles& candles, int period) noexcept {
  Series out[1];
  const double params[] = {static_cast<double>(period)};
  sdk_detail::candle_indicator<1>(candles, VYX_IND_LOWEST, params, 1, out,
                                  [&](const ta::columns& c, double* const* o) {
                                    sdk_detail::rolling_extreme<false>(c.low, c.size, period, o[0]);
                                  });
  return out[0];
}
inline double lowest(const Candles& candles, int period) noexcept {
  return lowest_series(candles, period).last();
}

}  // namespace vyx
