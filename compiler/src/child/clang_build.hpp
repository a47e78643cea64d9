// In-process clang: builds the SDK's precompiled header, and checks and
// compiles one trader (scan, parse, dialect rules, codegen, descriptor, link).
// Runs inside the sandboxed compile child (compile_child.hpp).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "parent/sdk_layout.hpp"
#include "vyx/compiler/compiler.hpp"

namespace vyx::compiler {

struct frontend_job {
  bool build = false;  // false: check only
  std::string code;
  std::string file_name;  // what diagnostics call the user's file
  std::string name;       // trader name for the descriptor
  std::vector<std::string> hinted_timeframes;
  bool go_translation = false;  // the Go front end's C++ (checks::dialect_options)
  sdk_layout layout;
  std::filesystem::path pch;
  std::filesystem::path scratch;  // objects and the .so (scratch/plugin.so) go here
};

struct frontend_outcome {
  bool ok = false;
  std::vector<diagnostic> diagnostics;
  plugin_metadata metadata;
  compile_timings timings;
};

frontend_outcome run_frontend(const frontend_job& job);

// Builds the precompiled SDK header at `output`; false with `error` set on failure.
bool build_sdk_pch(const sdk_layout& layout, const std::filesystem::path& output,
                   std::string& error);

}  // namespace vyx::compiler
