// A line-based text form of a compile's outcome (ok, metadata, timings,
// diagnostics): how the compile child answers the parent, and the metadata
// file stored next to each cached artifact.
#pragma once

#include <optional>
#include <string>

#include "child/clang_build.hpp"

namespace vyx::compiler {

std::string encode_outcome(const frontend_outcome& outcome);
std::optional<frontend_outcome> decode_outcome(const std::string& text);

}  // namespace vyx::compiler
