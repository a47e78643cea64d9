// Trader files to plugin paths (compiling sources with the compiler library).
#include "trader_sources.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "vyx/runtime/artifacts/artifact_fetcher.hpp"

#ifdef VYX_HAVE_COMPILER
#include "vyx/compiler/compiler.hpp"
#endif

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
  std::unique_ptr<runtime::artifact_fetcher> remote;  // set when VYX_COMPILER_URL is
};

namespace {

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

trader_sources::trader_sources() : impl_(new impl()) {
  try {
    if (auto config = runtime::artifact_source_config::from_environment())
      impl_->remote = std::make_unique<runtime::artifact_fetcher>(std::move(*config));
  } catch (...) {
    delete impl_;
    throw;
  }
}
trader_sources::~trader_sources() {
  delete impl_;
}

bool trader_sources::is_trader_file(const fs::path& file) {
  auto ext = file.extension();
  return ext == ".so" || ext == ".cpp" || ext == ".go" || ext == ".hash";
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
  if (file.extension() != ".cpp" && file.extension() != ".go" && file.extension() != ".hash") {
    error = file.string() + ": not a trader (.so, .cpp, .go or .hash)";
    return std::nullopt;
  }
  if (impl_->remote || file.extension() == ".hash") {
    if (!impl_->remote) {
      error = file.string() + ": an artifact hash needs VYX_COMPILER_URL (the compile service)";
      return std::nullopt;
    }
    std::string hash;
    if (file.extension() == ".hash") {
      std::istringstream(read_text(file)) >> hash;
    } else {
      const auto built = impl_->remote->compile(file.extension() == ".go" ? "go" : "cpp", id,
                                                read_text(file), error);
      if (!built) {
        error = file.string() + ": " + error;
        return std::nullopt;
      }
      hash = *built;
    }
    auto artifact = impl_->remote->fetch(hash, error);
    if (!artifact) {
      error = file.string() + ": " + error;
      return std::nullopt;
    }
    spdlog::info("trader {}: artifact {}", id, hash);
    return runtime::trader_spec{id, *artifact, true};
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
  auto result = impl_->compile().build(request);
  for (const auto& d : result.diagnostics)
    std::cerr << d.file << ':' << d.line << ':' << d.column << ": " << d.severity << ": "
              << d.message << (d.rule.empty() ? "" : " [" + d.rule + "]") << '\n';
  if (!result.ok) {
    error = file.string() + ": does not compile";
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
  refusals_.clear();
  for (const auto& [id, path] : chosen) {
    std::string error;
    auto spec = resolve(path, error);
    if (!spec) {
      refusals_[id] = error;
      auto good = last_good_.find(id);
      spdlog::error("{}{}", error, good != last_good_.end() ? " (keeping the previous build)" : "");
      if (good == last_good_.end()) continue;
      spec = runtime::trader_spec{id, good->second, true};
    }
    last_good_[id] = spec->plugin_path;
    spec->enabled = !fs::exists(dir / (id + ".disabled"), ec);
    specs.push_back(*spec);
  }
  return specs;
}

}  // namespace vyx::cli
