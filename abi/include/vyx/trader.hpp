// The Vyx trader SDK: everything trader code may use. The compiler injects
// this header; including it explicitly is allowed, nothing else is.
//
//   bool filter(const vyx::Market& m);                  // required
//   void series(const vyx::Market& m, vyx::Plot& plot);  // optional
//
// vyx::Market (klines per timeframe with their forming candle, the 24 h
// ticker, symbol), vyx::Series (read-only, bounds-checked: out of range reads
// NaN), every indicator of the library as NAME(...) and NAME_series(...),
// crossover helpers, <cmath>-style math, vyx::emit and vyx::Plot. See
// compiler/README.md for the dialect's rules.
#pragma once

#include "vyx/abi.h"
#include "vyx/sdk/indicators.hpp"
#include "vyx/sdk/market.hpp"
#include "vyx/sdk/math.hpp"
#include "vyx/sdk/outputs.hpp"
#include "vyx/sdk/series.hpp"
#include "vyx/sdk/go/go.hpp"  // the Go front end's compat layer (vyx::go)

// The SDK version recorded in every plugin descriptor.
#define VYX_SDK_VERSION "0.1.0"
