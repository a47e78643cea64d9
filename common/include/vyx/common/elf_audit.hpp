// The post-link audit of a plugin .so: what the ELF file may contain, checked
// on the bytes (no loader involved), so a plugin that slipped past the checker
// still cannot export, import or run anything beyond the ABI.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace vyx::common {

// Problems found, each a sentence; empty when the plugin passes: an x86-64
// shared object whose only exported symbol is vyx_plugin_entry, whose
// undefined symbols are on the allowlist (libc memory functions, libm math),
// whose needed libraries are libc/libm only, with no init/fini code, no
// IFUNC, no TLS, no interpreter, no text relocations, no executable stack.
std::vector<std::string> audit_plugin(const std::filesystem::path& so);

// The undefined symbols a plugin may import.
const std::vector<std::string>& allowed_imports();

}  // namespace vyx::common
