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

// Where a generated C++ line came from: a line and column of the body
// (filter.code) or of the seriesCode.
struct go_position {
  int line = 1;
  int column = 1;
  bool in_series = false;
};

struct go_translation {
  bool ok = false;
  std::string cpp;                       // C++ dialect source
  std::vector<go_position> lines;        // generated line i+1 -> its Go position
  std::vector<std::string> timeframes;   // the constant data.Klines keys
  std::vector<diagnostic> diagnostics;   // at the .go file or the series file
  std::string file;                      // what the body's diagnostics are reported against
  std::string series_file;               // and the seriesCode's
  double ms = 0;                         // wall time of the helper run
};

// The helper program: $VYX_GO_FRONTEND, else vyx-go-frontend beside the
// running program, else the build tree's.
std::filesystem::path default_go_frontend();

// Translates request.code (a Go body) in a fresh helper process under `limits`.
go_translation translate_go(const compile_request& request, const child_limits& limits,
                            const std::filesystem::path& helper);

// Parses the helper's JSON answer (exposed for tests); diagnostics in the
// seriesCode (the answer's "part":"series") are reported at series_file.
bool parse_go_answer(const std::string& json, const std::string& file,
                     const std::string& series_file, go_translation& out);

// Rewrites positions in generated C++ to the Go positions (and file) they came from.
void map_to_go(std::vector<diagnostic>& diagnostics, const go_translation& translation);

}  // namespace vyx::compiler
