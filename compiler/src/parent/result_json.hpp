// The members of a compile result's JSON that vyxc's --json output and the
// service's POST /v1/compile answer share.
#pragma once

#include "vyx/common/json_writer.hpp"
#include "vyx/compiler/compiler.hpp"

namespace vyx::compiler {

using common::json_writer;

// Inside an open object: "ok", "hash", "size", "cacheHit", "metadata" and "diagnostics".
void write_result_members(json_writer& json, const compile_result& result);

}  // namespace vyx::compiler
