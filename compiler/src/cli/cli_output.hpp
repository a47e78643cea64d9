// How vyxc prints a compile result: clang-style diagnostic lines, or JSON.
#pragma once

#include <string>
#include <vector>

#include "vyx/compiler/compiler.hpp"

namespace vyx::compiler {

// "file:line:col: error: message [rule-id]\n" per diagnostic.
std::string diagnostics_text(const std::vector<diagnostic>& diagnostics);

// {"ok":..., "hash":..., "size":..., "cacheHit":..., "metadata":{...}, "diagnostics":[...],
// "timings":{...}}
std::string result_json(const compile_result& result);

}  // namespace vyx::compiler
