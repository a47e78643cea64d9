// Plugin loading and descriptor checks (see plugin_loader.hpp).
#include "evaluation/plugin_loader.hpp"

#ifndef BOOST_DLL_USE_STD_FS
#define BOOST_DLL_USE_STD_FS
#endif
#include <boost/dll/shared_library.hpp>

namespace vyx::runtime {

struct loaded_plugin::library {
  boost::dll::shared_library lib;
};

loaded_plugin::loaded_plugin() = default;
loaded_plugin::~loaded_plugin() = default;
loaded_plugin::loaded_plugin(loaded_plugin&&) noexcept = default;
loaded_plugin& loaded_plugin::operator=(loaded_plugin&&) noexcept = default;

std::string plugin_loader::check_descriptor(const vyx_plugin* d) {
  if (d == nullptr) return "the entry point returned no descriptor";
  // struct_size and abi_version are the first 8 bytes in every ABI version,
  // so they can be read before knowing which version the plugin speaks.
  if (d->abi_version != VYX_ABI_VERSION)
    return "ABI version mismatch: plugin built against Vyx ABI version " +
           std::to_string(d->abi_version) + ", this runtime speaks Vyx ABI version " +
           std::to_string(VYX_ABI_VERSION);
  if (d->struct_size < sizeof(vyx_plugin))
    return "descriptor too small: plugin's vyx_plugin is " + std::to_string(d->struct_size) +
           " bytes, Vyx ABI version " + std::to_string(VYX_ABI_VERSION) + " needs " +
           std::to_string(sizeof(vyx_plugin));
  if (d->filter == nullptr) return "descriptor has no filter function";
  if (d->name == nullptr) return "descriptor has no name";
  if ((d->required_timeframes & ~((1u << VYX_TIMEFRAME_COUNT) - 1)) != 0)
    return "descriptor requires an unknown timeframe";
  return {};
}

plugin_load_result plugin_loader::open(const std::filesystem::path& path) {
  plugin_load_result r;
  r.plugin.path_ = path;
  try {
    auto lib = std::make_unique<loaded_plugin::library>();
    lib->lib.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    if (!lib->lib.has(VYX_ENTRY_SYMBOL)) {
      r.error = "no " VYX_ENTRY_SYMBOL " symbol in " + path.string();
      return r;
    }
    r.plugin.entry_ = &lib->lib.get<const vyx_plugin*()>(VYX_ENTRY_SYMBOL);
    r.plugin.library_ = std::move(lib);
    r.ok = true;
  } catch (const std::exception& e) {
    r.error = "cannot load " + path.string() + ": " + e.what();
  }
  return r;
}

void plugin_loader::describe(plugin_load_result& r) {
  if (!r.ok) return;
  const vyx_plugin* d = r.plugin.entry_();
  if (std::string e = check_descriptor(d); !e.empty()) {
    r.error = r.plugin.path_.filename().string() + ": " + e;
    r.ok = false;
    return;
  }
  r.plugin.descriptor_ = d;
}

plugin_load_result plugin_loader::load(const std::filesystem::path& path) {
  plugin_load_result r = open(path);
  describe(r);
  return r;
}

}  // namespace vyx::runtime
