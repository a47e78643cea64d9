// The jobs a compile child runs, as text (line_codec.hpp): build the SDK's
// precompiled header, or check/build one trader. The parent encodes; the
// compile-child executable decodes and runs them.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "child/clang_build.hpp"
#include "parent/sdk_layout.hpp"

namespace vyx::compiler {

struct child_job {
  enum class kind { sdk_pch, frontend };
  kind what = kind::frontend;
  frontend_job frontend;             // kind::frontend (its layout is the one used)
  std::filesystem::path pch_output;  // kind::sdk_pch: where to write it (with frontend.layout)
};

std::string encode_job(const child_job& job);
std::optional<child_job> decode_job(const std::string& text);

// The child's answer to a sdk_pch job: "ok", or "error: <why>".
// To a frontend job: encode_outcome(run_frontend(...)).
std::string run_child_job(const std::string& text);

}  // namespace vyx::compiler
