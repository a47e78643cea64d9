// The C source of a plugin's descriptor and entry symbol, generated after the
// checker has learned the trader's metadata (its timeframes are only known
// once the code is parsed, so the descriptor is its own translation unit).
#pragma once

#include <string>

#include "vyx/compiler/compiler.hpp"

namespace vyx::compiler {

// Emitted signal values per filter call (vyx::max_emitted_values in the SDK).
inline constexpr unsigned max_signal_values = 16;

std::string descriptor_source(const plugin_metadata& metadata);

// Bit set of VYX_TF_* for timeframe names ("5m" -> 1u << VYX_TF_5M); unknown names are skipped.
unsigned timeframe_mask(const std::vector<std::string>& timeframes);

}  // namespace vyx::compiler
