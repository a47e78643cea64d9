// Trader files to plugin paths (compiling sources with the compiler library).
#include "trader_sources.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#ifdef VYX_HAVE_COMPILER
#include "vyx/compiler/compiler.hpp"
#endif

namespace vyx::cli {
namespace fs = std::filesystem;

struct trader_sources::impl {
#ifdef VYX_HAVE_COMPILER
  compiler::compiler compile;
#endif
};

trader_sources::trader_sources() : impl_(new impl()) {}
trader_sources::~trader_sources() = default;

bool trader_sources::is_series_file(const fs::path& file) {
  return file.extension() == ".go" && file.stem().extension() == ".series";
}

bool trader_sources::is_trader_file(const fs::path& file) {
  auto ext = file.extension();
  return (ext == ".so" || ext == ".cpp" || ext == ".go") && !is_series_file(file);
}

std::optional<runtime::trader_spec> trader_sources::resolve(const fs::path& file,
                                                            std::string& error) {
  const std::string id = file.stem().string();
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    error = file.string() + ": no such trader file";
    return std::nullopt;
  }
  if (file.extension() == ".so") return runtime::trader_spec{id, fs::absolute(file), true};
  if (file.extension() != ".cpp" && file.extension() != ".go") {
    error = file.string() + ": not a trader (.so, .cpp or .go)";
    return std::nullopt;
  }
#ifdef VYX_HAVE_COMPILER
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  compiler::compile_request request;
  request.language =
      file.extension() == ".go" ? compiler::source_language::go : compiler::source_language::cpp;
  request.code = text.str();
  request.name = id;
  request.file_name = file.string();
  const fs::path series = file.parent_path() / (id + ".series.go");
  if (file.extension() == ".go" && fs::is_regular_file(series, ec)) {
    std::ifstream series_in(series, std::ios::binary);
    std::stringstream series_text;
    series_text << series_in.rdbuf();
    if (!series_in) {
      error = series.string() + ": cannot read the trader's seriesCode";
      return std::nullopt;
    }
    request.series_code = series_text.str();
    request.series_file_name = series.string();
  }
  auto result = impl_->compile.build(request);
  for (const auto& d : result.diagnostics)
    std::cerr << d.file << ':' << d.line << ':' << d.column << ": " << d.severity << ": "
              << d.message << (d.rule.empty() ? "" : " [" + d.rule + "]") << '\n';
  if (!result.ok) {
    error = file.string() + ": does not compile";
    // The first error, so the reason stands on its own in a status table.
    for (const auto& d : result.diagnostics)
      if (d.severity == "error") {
        error += ": " + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message +
                 (d.rule.empty() ? "" : " [" + d.rule + "]");
        break;
      }
    return std::nullopt;
  }
  max_history_bars_ = std::max(max_history_bars_, result.metadata.history_bars);
  spdlog::info("trader {}: {} ({})", id, result.cache_hit ? "cached build" : "compiled",
               result.artifact_path.string());
  return runtime::trader_spec{id, result.artifact_path, true};
#else
  error = file.string() + ": this vyx was built without the compiler library; pass a built .so";
  return std::nullopt;
#endif
}

std::vector<runtime::trader_spec> trader_sources::scan(const fs::path& dir) {
  std::map<std::string, fs::path> chosen;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const auto& path = entry.path();
    if (!entry.is_regular_file() || !is_trader_file(path)) continue;
    auto [it, fresh] = chosen.emplace(path.stem().string(), path);
    if (!fresh && path.extension() != ".so") it->second = path;  // source wins over a stale build
  }
  std::vector<runtime::trader_spec> specs;
  for (const auto& [id, path] : chosen) {
    std::string error;
    auto spec = resolve(path, error);
    if (!spec) {
      // Handed to the pool all the same: it keeps a running previous build
      // and shows the reason in every status (/health, /metrics, vyx status).
      spdlog::error("{}", error);
      spec = runtime::trader_spec{id, {}, true, error};
    }
    spec->enabled = !fs::exists(dir / (id + ".disabled"), ec);
    specs.push_back(*spec);
  }
  return specs;
}

}  // namespace vyx::cli
