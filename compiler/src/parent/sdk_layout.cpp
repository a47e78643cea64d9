// Locating the SDK and fingerprinting it.
#include "parent/sdk_layout.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "parent/sha256.hpp"

namespace vyx::compiler {
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path first_existing(std::initializer_list<const char*> candidates) {
  for (const char* c : candidates)
    if (fs::exists(c)) return c;
  return *candidates.begin();
}

void hash_tree(sha256& h, const fs::path& root) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file()) files.push_back(it->path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    h.field(fs::relative(f, root).generic_string());
    h.field(read_file(f));
  }
}

}  // namespace

sdk_layout default_sdk_layout() {
  sdk_layout l;
  if (const char* root = std::getenv("VYX_SDK_ROOT"); root != nullptr && *root != 0) {
    l.sdk_include_dir = fs::path(root) / "include";
    l.indicators_include_dir = fs::path(root) / "include";
    l.plugin_archive = fs::path(root) / "lib" / "libvyx_plugin_indicators.a";
  } else {
    l.sdk_include_dir = VYX_DEFAULT_SDK_INCLUDE_DIR;
    l.indicators_include_dir = VYX_DEFAULT_INDICATORS_INCLUDE_DIR;
    l.plugin_archive = VYX_DEFAULT_PLUGIN_ARCHIVE;
  }
  l.clang_resource_dir = VYX_CLANG_RESOURCE_DIR;
  l.system_libraries = {
      first_existing({"/lib/x86_64-linux-gnu/libm.so.6", "/usr/lib/x86_64-linux-gnu/libm.so.6"}),
      first_existing({"/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6"})};
  return l;
}

const std::vector<std::string>& plugin_cxx_flags() {
  static const std::vector<std::string> flags = {
#include "plugin_flags.inc"
  };
  return flags;
}

std::string sdk_fingerprint(const sdk_layout& layout) {
  sha256 h;
  h.field("vyx-compiler " VYX_COMPILER_VERSION " llvm " VYX_LLVM_VERSION);
  // Precompiled headers before these checked timestamps or left the
  // header's template instantiations to every compile.
  h.field("sdk header without timestamps, templates instantiated");
  for (const std::string& f : plugin_cxx_flags()) h.field(f);
  hash_tree(h, layout.sdk_include_dir / "vyx");
  if (layout.indicators_include_dir != layout.sdk_include_dir)
    hash_tree(h, layout.indicators_include_dir / "vyx");
  h.field(read_file(layout.plugin_archive));
  return h.hex_digest();
}

}  // namespace vyx::compiler
