// A foreign shared object: no vyx_plugin_entry, and a constructor that leaves
// a mark on disk (VYX_FOREIGN_MARK) if it ever runs. It must be refused
// before any of its code runs: by the pool's ELF audit, in the parent, before
// a worker maps it; with the audit off, the worker's load-time policy stops
// the constructor's file creation.
#include <fcntl.h>
#include <unistd.h>

namespace {
[[gnu::constructor]] void at_load() {
  const int fd = open(VYX_FOREIGN_MARK, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) close(fd);
}
}  // namespace

extern "C" __attribute__((visibility("default"))) int something_else(void) {
  return 42;
}
