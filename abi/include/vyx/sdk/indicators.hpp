// Every indicator of the library for trader code, each as NAME(...) (the
// newest value) and NAME_series(...) (the whole series, aligned with the
// candles, NaN during warm-up). Options follow the library's catalog order.
// Each include is unconditional: a missing header is a build error, never a
// silently missing SDK function (tests/compiler/sdk_surface_test.cpp checks
// this list against compiler/README.md).
#pragma once

#include "vyx/sdk/indicator_core.hpp"

// One period option, one output, over any series (host-served on close).
#define VYX_SDK_SERIES_PERIOD_INDICATOR(NAME, ID)                                           \
  inline Series NAME##_series(const Series& input, int period) noexcept {                   \
    Series out[1];                                                                          \
    const double params[] = {static_cast<double>(period)};                                  \
    sdk_detail::series_indicator<1>(input, sdk_detail::column::close, ID, params, 1, out,   \
                                    [&](const double* x, std::size_t n, double* const* o) { \
                                      ta::NAME(sdk_detail::close_only(x, n), period, o[0]); \
                                    });                                                     \
    return out[0];                                                                          \
  }                                                                                         \
  inline double NAME(const Series& input, int period) noexcept {                            \
    return NAME##_series(input, period).last();                                             \
  }

// One period option, one output, over the candles.
#define VYX_SDK_CANDLE_PERIOD_INDICATOR(NAME, ID)                                    \
  inline Series NAME##_series(const Candles& candles, int period) noexcept {         \
    Series out[1];                                                                   \
    const double params[] = {static_cast<double>(period)};                           \
    sdk_detail::candle_indicator<1>(                                                 \
        candles, ID, params, 1, out,                                                 \
        [&](const ta::columns& c, double* const* o) { ta::NAME(c, period, o[0]); }); \
    return out[0];                                                                   \
  }                                                                                  \
  inline double NAME(const Candles& candles, int period) noexcept {                  \
    return NAME##_series(candles, period).last();                                    \
  }

// No option, one output, over the candles.
#define VYX_SDK_CANDLE_PLAIN_INDICATOR(NAME, ID)                             \
  inline Series NAME##_series(const Candles& candles) noexcept {             \
    Series out[1];                                                           \
    sdk_detail::candle_indicator<1>(                                         \
        candles, ID, nullptr, 0, out,                                        \
        [&](const ta::columns& c, double* const* o) { ta::NAME(c, o[0]); }); \
    return out[0];                                                           \
  }                                                                          \
  inline double NAME(const Candles& candles) noexcept {                      \
    return NAME##_series(candles).last();                                    \
  }

#include "vyx/indicators/sma.hpp"
namespace vyx {
VYX_SDK_SERIES_PERIOD_INDICATOR(sma, VYX_IND_SMA)
}  // namespace vyx
#include "vyx/indicators/ema.hpp"
namespace vyx {
VYX_SDK_SERIES_PERIOD_INDICATOR(ema, VYX_IND_EMA)
}  // namespace vyx
#include "vyx/indicators/wma.hpp"
namespace vyx {
VYX_SDK_SERIES_PERIOD_INDICATOR(wma, VYX_IND_WMA)
}  // namespace vyx
#include "vyx/indicators/dema.hpp"
namespace vyx {
VYX_SDK_SERIES_PERIOD_INDICATOR(dema, VYX_IND_DEMA)
}  // namespace vyx
#include "vyx/indicators/tema.hpp"
namespace vyx {
VYX_SDK_SERIES_PERIOD_INDICATOR(tema, VYX_IND_TEMA)
}  // namespace vyx
#include "vyx/indicators/kama.hpp"
namespace vyx {
VYX_SDK_SERIES_PERIOD_INDICATOR(kama, VYX_IND_KAMA)
}  // namespace vyx
#include "vyx/indicators/rsi.hpp"
namespace vyx {
VYX_SDK_SERIES_PERIOD_INDICATOR(rsi, VYX_IND_RSI)
}  // namespace vyx
#include "vyx/indicators/roc.hpp"
namespace vyx {
VYX_SDK_SERIES_PERIOD_INDICATOR(roc, VYX_IND_ROC)
}  // namespace vyx
#include "vyx/indicators/mom.hpp"
namespace vyx {
VYX_SDK_SERIES_PERIOD_INDICATOR(mom, VYX_IND_MOM)
}  // namespace vyx
#include "vyx/indicators/atr.hpp"
namespace vyx {
VYX_SDK_CANDLE_PERIOD_INDICATOR(atr, VYX_IND_ATR)
}  // namespace vyx
#include "vyx/indicators/natr.hpp"
namespace vyx {
VYX_SDK_CANDLE_PERIOD_INDICATOR(natr, VYX_IND_NATR)
}  // namespace vyx
#include "vyx/indicators/adx.hpp"
namespace vyx {
VYX_SDK_CANDLE_PERIOD_INDICATOR(adx, VYX_IND_ADX)
}  // namespace vyx
#include "vyx/indicators/plus_di.hpp"
namespace vyx {
VYX_SDK_CANDLE_PERIOD_INDICATOR(plus_di, VYX_IND_PLUS_DI)
}  // namespace vyx
#include "vyx/indicators/minus_di.hpp"
namespace vyx {
VYX_SDK_CANDLE_PERIOD_INDICATOR(minus_di, VYX_IND_MINUS_DI)
}  // namespace vyx
#include "vyx/indicators/cci.hpp"
namespace vyx {
VYX_SDK_CANDLE_PERIOD_INDICATOR(cci, VYX_IND_CCI)
}  // namespace vyx
#include "vyx/indicators/mfi.hpp"
namespace vyx {
VYX_SDK_CANDLE_PERIOD_INDICATOR(mfi, VYX_IND_MFI)
}  // namespace vyx
#include "vyx/indicators/willr.hpp"
namespace vyx {
VYX_SDK_CANDLE_PERIOD_INDICATOR(willr, VYX_IND_WILLR)
}  // namespace vyx
#include "vyx/indicators/vwap.hpp"
namespace vyx {
VYX_SDK_CANDLE_PERIOD_INDICATOR(vwap_rolling, VYX_IND_VWAP_ROLLING)
}  // namespace vyx
#include "vyx/indicators/trange.hpp"
namespace vyx {
VYX_SDK_CANDLE_PLAIN_INDICATOR(trange, VYX_IND_TRANGE)
}  // namespace vyx
#include "vyx/indicators/obv.hpp"
namespace vyx {
VYX_SDK_CANDLE_PLAIN_INDICATOR(obv, VYX_IND_OBV)
}  // namespace vyx
#include "vyx/indicators/vwap.hpp"
namespace vyx {
VYX_SDK_CANDLE_PLAIN_INDICATOR(vwap, VYX_IND_VWAP)
}  // namespace vyx

#undef VYX_SDK_SERIES_PERIOD_INDICATOR
#undef VYX_SDK_CANDLE_PERIOD_INDICATOR
#undef VYX_SDK_CANDLE_PLAIN_INDICATOR

#include "vyx/sdk/indicators_multi.hpp"
