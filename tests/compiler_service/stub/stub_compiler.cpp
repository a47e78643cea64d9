// A stand-in for the compiler library with the same API, so the HTTP service
// can be tested before (and independently of) the real compiler: it "compiles"
// by hashing the source, rejects #include, and treats "compile_bomb" as a
// compile that runs into its time limit.
#include <openssl/sha.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "vyx/compiler/compiler.hpp"

namespace vyx::compiler {

struct compiler::impl {
  compiler_options options;
};

compiler::compiler(compiler_options options) : impl_(new impl{std::move(options)}) {
  if (impl_->options.cache_dir.empty()) impl_->options.cache_dir = std::filesystem::temp_directory_path() / "vyxc-stub";
  std::filesystem::create_directories(impl_->options.cache_dir);
}

compiler::~compiler() { delete impl_; }

namespace {

std::string sha256_hex(const std::string& text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char byte : digest) {
    out.push_back(hex[byte >> 4]);
    out.push_back(hex[byte & 15]);
  }
  return out;
}

}  // namespace

compile_result compiler::check(const compile_request& request) {
  compile_result result;
  result.metadata.name = request.name.empty() ? "trader" : request.name;
  result.metadata.timeframes = {"5m"};
  result.metadata.has_series = request.code.find("series(") != std::string::npos;
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < request.code.size(); ++i) {
    if (request.code.compare(i, 8, "#include") == 0) {
      result.diagnostics.push_back({request.file_name, line, static_cast<int>(i - line_start) + 1, "error",
                                    "dialect-no-include", "#include is not allowed [dialect-no-include]"});
    }
    if (request.code[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  if (request.code.find("compile_bomb") != std::string::npos) {
    std::this_thread::sleep_for(std::chrono::duration<double>(impl_->options.time_limit_seconds));
    result.diagnostics.push_back({request.file_name, 1, 1, "error", "compile-limit", "compile limit exceeded"});
  }
  result.ok = result.diagnostics.empty();
  return result;
}

compile_result compiler::build(const compile_request& request) {
  const auto start = std::chrono::steady_clock::now();
  const std::string hash = sha256_hex(request.name + '\0' + request.code);
  const auto path = impl_->options.cache_dir / (hash + ".so");
  compile_result result;
  if (std::filesystem::exists(path)) {
    result = check(request);
    result.cache_hit = true;
  } else {
    result = check(request);
    if (result.ok) std::ofstream(path, std::ios::binary) << "stub artifact " << hash;
  }
  result.hash = hash;
  if (result.ok) {
    result.artifact_path = path;
    result.artifact_size = std::filesystem::file_size(path);
  }
  result.timings.total_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return result;
}

std::filesystem::path compiler::artifact(const std::string& hash) const {
  const auto path = impl_->options.cache_dir / (hash + ".so");
  return std::filesystem::exists(path) ? path : std::filesystem::path{};
}

}  // namespace vyx::compiler
