// Load-time attacks on the worker's code (VYX_WX_<variant> defined by CMake):
// each tries to get memory that is both writable and executable, or new
// executable memory, which is what rewriting a co-loaded trader's filter
// needs. W^X in the worker's seccomp policies must stop every one; with the
// pool's ELF audit on, a plugin with a constructor never gets mapped at all.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

#include "../../runtime_sandbox/plugins/test_descriptor.hpp"

namespace {

volatile long sink = 0;

vyx_status filter(const vyx_market*, vyx_filter_output* out) {
  out->matched = 1;
  return VYX_OK;
}

// The page holding this plugin's own filter: what a neighbour's would be.
[[maybe_unused]] void* code_page() {
  const auto at = reinterpret_cast<std::uintptr_t>(&filter);
  return reinterpret_cast<void*>(at & ~static_cast<std::uintptr_t>(getpagesize() - 1));
}

void attack() {
#if defined(VYX_WX_mprotect_code_writable)
  // Make code writable and still executable, to patch it in place.
  sink = mprotect(code_page(), 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
#elif defined(VYX_WX_mprotect_data_executable)
  // Write code into data, then make it executable.
  static char buffer[8192];
  void* page = reinterpret_cast<void*>((reinterpret_cast<std::uintptr_t>(buffer) + 4095) & ~4095ul);
  sink = mprotect(page, 4096, PROT_READ | PROT_EXEC);
#elif defined(VYX_WX_anonymous_exec)
  sink = reinterpret_cast<long>(
      mmap(nullptr, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
#elif defined(VYX_WX_anonymous_write_exec)
  sink = reinterpret_cast<long>(mmap(nullptr, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
#elif defined(VYX_WX_memfd_exec)
  // A file of its own making, mapped executable: memfd_create is denied.
  const int fd = memfd_create("code", 0);
  sink = reinterpret_cast<long>(mmap(nullptr, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0));
#else
#error "define VYX_WX_<variant>"
#endif
}

#if defined(VYX_WX_IN_ENTRY)
bool attacked = false;
#else
[[gnu::constructor]] void at_load() {
  attack();
}
#endif

constexpr vyx_plugin descriptor = vyx::test_plugin::descriptor("wx_attacker", &filter);

}  // namespace

extern "C" __attribute__((visibility("default"))) const vyx_plugin* vyx_plugin_entry(void) {
#if defined(VYX_WX_IN_ENTRY)
  if (!attacked) attacked = true, attack();
#endif
  return &descriptor;
}
