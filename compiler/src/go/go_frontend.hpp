// The C++ side of the Go front end: runs the vyx-go-frontend helper
// (compiler/go/) jailed like a compile child, and maps what the dialect
// build says about the generated C++ back to the user's Go lines.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "parent/compile_child.hpp"
#include "vyx/compiler/compiler.hpp"

namespace vyx::compiler {

struct go_translation {
  bool ok = false;
  std::string cpp;                          // C++ dialect source
  std::vector<std::pair<int, int>> lines;   // generated line i+1 -> Go line, column
  std::vector<std::string> timeframes;      // the constant data.Klines keys
  std::vector<diagnostic> diagnostics;      // at the .go file
  double ms = 0;                            // wall time of the helper run
};

// The helper program: $VYX_GO_FRONTEND, else vyx-go-frontend beside the
// running program, else the build tree's.
std::filesystem::path default_go_frontend();

// Translates request.code (a Go body) in a fresh helper process under `limits`.
go_translation translate_go(const compile_request& request, const child_limits& limits,
                            const std::filesystem::path& helper);

// Parses the helper's JSON answer (exposed for tests).
bool parse_go_answer(const std::string& json, const std::string& file, go_translation& out);

// Rewrites positions in generated C++ to the Go positions they came from.
void map_to_go(std::vector<diagnostic>& diagnostics, const go_translation& translation);

}  // namespace vyx::compiler
