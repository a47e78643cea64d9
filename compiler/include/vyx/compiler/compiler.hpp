// The compiler library's entry point: trader source in, checked plugin out.
// Used by the `vyxc` CLI, the `vyxc serve` HTTP service and `vyx backtest`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vyx::compiler {

enum class source_language { cpp, go };

struct compile_request {
  source_language language = source_language::cpp;
  std::string code;         // the trader: filter (and optionally series) in the dialect
  std::string series_code;  // Go front end only: the body of the series function
  std::vector<std::string> required_timeframes;  // optional hint; checked against the code
  std::string name;                      // trader name recorded in the plugin (default: file stem)
  std::string file_name = "trader.cpp";  // what diagnostics call the user's file
  // What diagnostics call the series_code; empty: "<file_name> (seriesCode)".
  std::string series_file_name;
};

// The name diagnostics in request.series_code are reported against.
std::string series_file_name(const compile_request& request);

// One finding, always pointing at the user's own file.
struct diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string severity;  // "error", "warning", "note"
  std::string rule;  // kebab-case rule id, e.g. "dialect-no-include"; "compile" for clang errors
  std::string message;
};

struct plugin_metadata {
  std::string name;
  std::vector<std::string> timeframes;  // required, e.g. {"5m", "1h"}
  std::uint32_t history_bars = 0;
  bool has_series = false;
};

struct compile_timings {
  double check_ms = 0;
  double codegen_ms = 0;
  double link_ms = 0;
  double total_ms = 0;
};

struct compile_result {
  bool ok = false;
  bool cache_hit = false;
  std::string hash;                     // content hash naming the artifact (hex)
  std::filesystem::path artifact_path;  // the .so in the cache, when ok
  std::uint64_t artifact_size = 0;
  plugin_metadata metadata;
  std::vector<diagnostic> diagnostics;
  compile_timings timings;
};

struct compiler_options {
  std::filesystem::path
      cache_dir;                   // artifacts by hash; default $XDG_CACHE_HOME/vyx or ~/.cache/vyx
  double time_limit_seconds = 20;  // CPU seconds per compile, enforced in a child process
  std::uint64_t memory_limit_bytes = 2ull << 30;
  std::uint64_t output_limit_bytes = 64ull << 20;
  // The program each compile runs in. Empty: $VYX_COMPILE_CHILD, else
  // vyx-compile-child beside the running program, else the build tree's.
  std::filesystem::path child_executable;
};

class compiler {
 public:
  explicit compiler(compiler_options options = {});
  ~compiler();
  compiler(const compiler&) = delete;
  compiler& operator=(const compiler&) = delete;

  // Parses and checks only: diagnostics, metadata, no artifact.
  compile_result check(const compile_request& request);
  // Checks and builds the plugin (or serves it from the cache). Thread-safe.
  compile_result build(const compile_request& request);
  // The answer build() would give from the cache, without compiling or
  // waiting: nullopt when the artifact is not (yet) cached. Thread-safe and
  // cheap (a hash and one small file read), so a caller may ask it first.
  std::optional<compile_result> cached(const compile_request& request);
  // Path of a cached artifact, or empty when the hash is unknown or malformed.
  std::filesystem::path artifact(const std::string& hash) const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace vyx::compiler
