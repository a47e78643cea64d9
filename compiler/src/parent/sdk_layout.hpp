// Where the compiler finds what it builds plugins from: the SDK headers, the
// indicator headers, the plugin-side indicator archive, clang's resource
// directory, the C libraries a plugin may import; and a fingerprint of it all
// that goes into every artifact hash.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace vyx::compiler {

struct sdk_layout {
  std::filesystem::path sdk_include_dir;         // holds vyx/abi.h, vyx/trader.hpp
  std::filesystem::path indicators_include_dir;  // holds vyx/indicators/*.hpp
  std::filesystem::path plugin_archive;          // libvyx_plugin_indicators.a
  std::filesystem::path clang_resource_dir;
  std::vector<std::filesystem::path> system_libraries;  // libm.so.6, libc.so.6 (link inputs)
};

// Build-tree defaults; VYX_SDK_ROOT=<dir> (with include/ and lib/) overrides
// them for an installed compiler (the Docker image).
sdk_layout default_sdk_layout();

// The compile flags every plugin translation unit gets (see compiler/CMakeLists.txt).
const std::vector<std::string>& plugin_cxx_flags();

// Hash of the compiler version, clang's version, the plugin flags, and the
// bytes of every SDK header and the archive. Changes whenever any of them does.
std::string sdk_fingerprint(const sdk_layout& layout);

}  // namespace vyx::compiler
