// Trader files to plugin paths (compiling sources with the compiler library or
// the compile service, fetching pinned artifact hashes from the latter).
#include "trader_sources.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#ifdef VYX_HAVE_COMPILER
#include "vyx/compiler/compiler.hpp"
#endif
#include "vyx/runtime/registry/compile_service_client.hpp"

namespace vyx::cli {
namespace fs = std::filesystem;

struct trader_sources::impl {
#ifdef VYX_HAVE_COMPILER
  // Made on first use: a machine that compiles remotely has no SDK or
  // compile child, and never needs them.
  std::unique_ptr<compiler::compiler> local;
  compiler::compiler& compile() {
    if (!local) local = std::make_unique<compiler::compiler>();
    return *local;
  }
#endif
  std::unique_ptr<runtime::compile_service_client> remote;  // set when VYX_COMPILER_URL is
};

namespace {

bool read_text(const fs::path& file, std::string& text) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  text = buffer.str();
  return static_cast<bool>(in);
}

}  // namespace

trader_sources::trader_sources() : impl_(new impl()) {
  if (auto config = runtime::artifact_source_config::from_environment())
    impl_->remote = std::make_unique<runtime::compile_service_client>(std::move(*config));
}
trader_sources::~trader_sources() = default;

bool trader_sources::is_series_file(const fs::path& file) {
  return file.extension() == ".go" && file.stem().extension() == ".series";
}

bool trader_sources::is_trader_file(const fs::path& file) {
  auto ext = file.extension();
  return (ext == ".so" || ext == ".cpp" || ext == ".go" || ext == ".hash") && !is_series_file(file);
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
  if (file.extension() == ".hash") return resolve_hash_(file, error);
  if (file.extension() != ".cpp" && file.extension() != ".go") {
    error = file.string() + ": not a trader (.so, .cpp, .go or .hash)";
    return std::nullopt;
  }
  if (impl_->remote) return resolve_remote_(file, error);
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
  auto result = impl_->compile().build(request);
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
  error = file.string() +
          ": this vyx was built without the compiler library; pass a built .so, or set "
          "VYX_COMPILER_URL to compile through the compile service";
  return std::nullopt;
#endif
}

std::optional<runtime::trader_spec> trader_sources::resolve_hash_(const fs::path& file,
                                                                  std::string& error) {
  const std::string id = file.stem().string();
  if (!impl_->remote) {
    error = file.string() + ": an artifact hash needs VYX_COMPILER_URL (the compile service)";
    return std::nullopt;
  }
  std::string text;
  if (!read_text(file, text)) {
    error = file.string() + ": cannot read";
    return std::nullopt;
  }
  std::istringstream words(text);
  std::string hash;
  words >> hash;
  std::string why;
  auto plugin = impl_->remote->fetcher().fetch(hash, why);
  if (!plugin) {
    error = file.string() + ": " + why;
    return std::nullopt;
  }
  return runtime::trader_spec{id, *plugin, true};
}

std::optional<runtime::trader_spec> trader_sources::resolve_remote_(const fs::path& file,
                                                                    std::string& error) {
  runtime::trader_record trader;
  trader.id = file.stem().string();
  trader.name = trader.id;
  trader.language = file.extension() == ".go" ? "go" : "cpp";
  if (!read_text(file, trader.code)) {
    error = file.string() + ": cannot read";
    return std::nullopt;
  }
  std::error_code ec;
  const fs::path series = file.parent_path() / (trader.id + ".series.go");
  if (trader.language == "go" && fs::is_regular_file(series, ec) &&
      !read_text(series, trader.series_code)) {
    error = series.string() + ": cannot read the trader's seriesCode";
    return std::nullopt;
  }
  auto build = impl_->remote->build(trader);
  if (!build.ok) {
    // The service's diagnostics, one per line; the reason keeps the first.
    std::cerr << build.error;
    if (!build.error.empty() && build.error.back() != '\n') std::cerr << '\n';
    error = file.string() + ": " + build.error.substr(0, build.error.find('\n'));
    return std::nullopt;
  }
  max_history_bars_ = std::max(max_history_bars_, build.history_bars);
  spdlog::info("trader {}: built by the compile service ({})", trader.id, build.plugin.string());
  return runtime::trader_spec{trader.id, build.plugin, true};
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
