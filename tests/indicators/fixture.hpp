// Loads an indicator reference fixture (tests/data/indicators,
// format vyx.indicator-fixture.v1) into columns and per-indicator outputs.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "vyx/indicators/catalog.hpp"
#include "vyx/indicators/core.hpp"

namespace vyx::test {

struct fixture_indicator {
  std::string id;              // "macd_12_26_9"
  std::string talib_function;  // "MACD", or "STOCH(RSI(close))"
  std::vector<std::string> inputs;
  // TA-Lib argument names, nested objects flattened with a dot.
  std::vector<std::pair<std::string, double>> params;
  int lookback = 0;
  // Output name -> one value per bar, NaN for null; in file order.
  std::vector<std::pair<std::string, std::vector<double>>> outputs;
  std::map<std::string, std::vector<double>> exact_outputs;
  std::map<std::string, std::vector<int>> artifact_bars;

  std::vector<ta::talib_param> talib_params() const;
  // exact_outputs[name] where given, else outputs[name]; null if absent.
  const std::vector<double>* reference(const std::string& name) const;
};

struct fixture {
  std::string id;
  std::vector<std::int64_t> open_time;
  std::vector<double> open, high, low, close, volume;
  std::vector<fixture_indicator> indicators;

  ta::columns columns() const;
};

// A columns view of the five price/volume vectors (size: the closes').
ta::columns columns_of(const std::vector<double>& open, const std::vector<double>& high,
                       const std::vector<double>& low, const std::vector<double>& close,
                       const std::vector<double>& volume);

// Returns false and sets `error` when the file is missing or malformed.
bool load_fixture(const std::string& path, fixture& out, std::string& error);

}  // namespace vyx::test
