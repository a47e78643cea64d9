// Links a plugin's objects into the .so with lld, in process (the caller is
// the sandboxed compile child, so lld's global state dies with it).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "parent/sdk_layout.hpp"

namespace vyx::compiler {

// True on success; otherwise `error` holds lld's message.
bool link_plugin(const sdk_layout& layout, const std::vector<std::filesystem::path>& objects,
                 const std::filesystem::path& version_script, const std::filesystem::path& output,
                 std::string& error);

// The version script exporting vyx_plugin_entry only.
std::string plugin_version_script();

}  // namespace vyx::compiler
