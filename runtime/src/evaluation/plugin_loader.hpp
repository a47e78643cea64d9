// Loads one trader plugin (.so) with Boost.DLL and checks its descriptor's
// ABI version and struct size before anything else of it is called.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "vyx/abi.h"

namespace vyx::runtime {

class loaded_plugin {
 public:
  loaded_plugin();
  ~loaded_plugin();
  loaded_plugin(loaded_plugin&&) noexcept;
  loaded_plugin& operator=(loaded_plugin&&) noexcept;

  const vyx_plugin* descriptor() const { return descriptor_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  friend struct plugin_loader;
  struct library;
  std::unique_ptr<library> library_;  // keeps the .so mapped while descriptor_ is used
  vyx_entry_fn entry_ = nullptr;
  const vyx_plugin* descriptor_ = nullptr;
  std::filesystem::path path_;
};

struct plugin_load_result {
  bool ok = false;
  std::string error;  // why it was refused; names both ABI versions on a mismatch
  loaded_plugin plugin;
};

struct plugin_loader {
  // dlopen (RTLD_NOW | RTLD_LOCAL), resolve VYX_ENTRY_SYMBOL, call it, then
  // check struct_size and abi_version before any filter/series call.
  static plugin_load_result load(const std::filesystem::path& path);
  // load() in two steps, so that a worker maps every plugin while files may
  // still be opened and calls the first plugin code only once it is locked
  // down: open() maps the file and resolves the entry symbol (for a plugin
  // that passed the ELF audit, no plugin code runs: it has no init code),
  // describe() calls the entry and checks the descriptor.
  static plugin_load_result open(const std::filesystem::path& path);
  static void describe(plugin_load_result& opened);
  // The descriptor checks alone (also used for plugins linked in tests).
  static std::string check_descriptor(const vyx_plugin* descriptor);
};

}  // namespace vyx::runtime
