// The catalog: the single list of indicators, each with its inputs, options,
// outputs, and type-erased batch and streaming entry points. Tools, tests,
// benchmarks and the trader SDK enumerate indicators from here only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "vyx/indicators/core.hpp"

namespace vyx::ta {

// The candle columns an indicator can read (see `columns`).
enum class input : unsigned char { open, high, low, close, volume, open_time, taker_buy_volume };

const char* to_string(input i) noexcept;

struct option_info {
  const char* name;  // our name, e.g. "period"
  double min;        // inclusive range; values outside give invalid_option
  double max;
  double default_value;
  bool integer;            // must be a whole number (periods)
  const char* talib_name;  // TA-Lib's argument name ("optInTimePeriod"), or null
};

// A streaming state behind a virtual interface, for callers that pick the
// indicator at run time. Hot paths that know the indicator use NAME_stream
// directly (no virtual call).
class stream {
 public:
  virtual ~stream() = default;
  virtual int lookback() const = 0;
  virtual void update(const bar& b, double* out) = 0;
  virtual void preview(const bar& b, double* out) const = 0;
  virtual void reset() = 0;
};

struct indicator_info {
  const char* id;              // stable kebab/snake id, e.g. "sma", "stochrsi_smoothed"
  const char* talib_function;  // TA-Lib function name, or null when TA-Lib has none
  const char* description;
  std::span<const input> inputs;
  std::span<const option_info> options;
  std::span<const char* const> outputs;

  // `options` points at options.size() doubles. Every function checks them
  // against `options` (range, whole numbers, NaN) before anything else.
  status (*validate)(const double* options);
  int (*lookback)(const double* options);  // -1 when the options are invalid
  status (*batch)(const columns& in, const double* options, double* const* outputs);
  // Null when the options are invalid.
  std::unique_ptr<stream> (*make_stream)(const double* options);
  // The id plugins ask the host table for (VYX_IND_* of vyx/abi.h); 0 when
  // the ABI does not offer this indicator.
  std::uint32_t abi_id = 0;
};

// Every indicator, sorted by id.
std::span<const indicator_info> catalog() noexcept;

const indicator_info* find_indicator(std::string_view id) noexcept;
// The entry whose abi_id is `abi_id` (a VYX_IND_* value), or null.
const indicator_info* find_indicator_by_abi_id(std::uint32_t abi_id) noexcept;

// Fills `options` (options.size() doubles) with the defaults.
void default_options(const indicator_info& info, double* options) noexcept;

// A TA-Lib argument as the fixtures and TA-Lib's bindings name it. Nested
// parameters (stochrsi_smoothed's {"rsi": {...}, "stoch": {...}}) are
// flattened with a dot: "rsi.optInTimePeriod".
struct talib_param {
  std::string_view name;
  double value;
};

// The catalog entry computing TA-Lib's `function` with these arguments, with
// `options` filled in (defaults where an argument is absent). MAType
// arguments must be 0 (simple moving average, the only kind implemented).
// Null when nothing matches.
const indicator_info* match_talib(std::string_view function, std::span<const talib_param> params,
                                  double* options) noexcept;

}  // namespace vyx::ta
