// lld's ELF driver with the plugin's link flags: shared, everything but the
// entry symbol local, unused sections dropped, symbol table stripped, no
// build id (the artifact hash names the file), full RELRO, no executable
// stack, and -z defs so that any symbol outside libc/libm fails the link.
#include "child/plugin_linker.hpp"

#include <lld/Common/Driver.h>
#include <llvm/Support/raw_ostream.h>

namespace vyx::compiler {

std::string plugin_version_script() {
  return "{\n  global: vyx_plugin_entry;\n  local: *;\n};\n";
}

bool link_plugin(const sdk_layout& layout, const std::vector<std::filesystem::path>& objects,
                 const std::filesystem::path& version_script, const std::filesystem::path& output,
                 std::string& error) {
  std::vector<std::string> args = {"ld.lld",
                                   "-shared",
                                   "-o",
                                   output.string(),
                                   "--version-script=" + version_script.string(),
                                   "--gc-sections",
                                   "--strip-all",
                                   "--build-id=none",
                                   "--hash-style=gnu",
                                   "-z",
                                   "relro",
                                   "-z",
                                   "now",
                                   "-z",
                                   "noexecstack",
                                   "-z",
                                   "defs",
                                   "--no-undefined-version",
                                   "--threads=1"};
  for (const auto& o : objects) args.push_back(o.string());
  args.push_back(layout.plugin_archive.string());
  args.push_back("--as-needed");
  for (const auto& lib : layout.system_libraries) args.push_back(lib.string());
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::string out_text, err_text;
  llvm::raw_string_ostream out(out_text), err(err_text);
  const bool ok = lld::elf::link(argv, out, err, /*exitEarly=*/false, /*disableOutput=*/false);
  err.flush();
  if (!ok) error = err_text.empty() ? "link failed" : err_text;
  return ok;
}

}  // namespace vyx::compiler
