// Umbrella header: the whole indicator library (conventions, catalog and
// every indicator's batch and streaming forms).
#pragma once

#include "vyx/indicators/catalog.hpp"
#include "vyx/indicators/core.hpp"

// ---- ind1 indicators ----
#include "vyx/indicators/bbands.hpp"
#include "vyx/indicators/cross.hpp"
#include "vyx/indicators/dema.hpp"
#include "vyx/indicators/ema.hpp"
#include "vyx/indicators/extremes.hpp"
#include "vyx/indicators/kama.hpp"
#include "vyx/indicators/macd.hpp"
#include "vyx/indicators/rsi.hpp"
#include "vyx/indicators/sma.hpp"
#include "vyx/indicators/stoch.hpp"
#include "vyx/indicators/stochrsi.hpp"
#include "vyx/indicators/tema.hpp"
#include "vyx/indicators/volume.hpp"
#include "vyx/indicators/vwap.hpp"
#include "vyx/indicators/window.hpp"
#include "vyx/indicators/wma.hpp"
// ---- end ind1 indicators ----

// ---- ind2 indicators ----
#include "vyx/indicators/adx.hpp"
#include "vyx/indicators/aroon.hpp"
#include "vyx/indicators/atr.hpp"
#include "vyx/indicators/cci.hpp"
#include "vyx/indicators/mfi.hpp"
#include "vyx/indicators/minus_di.hpp"
#include "vyx/indicators/mom.hpp"
#include "vyx/indicators/natr.hpp"
#include "vyx/indicators/obv.hpp"
#include "vyx/indicators/plus_di.hpp"
#include "vyx/indicators/roc.hpp"
#include "vyx/indicators/sar.hpp"
#include "vyx/indicators/trange.hpp"
#include "vyx/indicators/willr.hpp"
// ---- end ind2 indicators ----
