// A plugin whose constructor tries to read a file of the host at dlopen time
// (seccomp has to allow read-only opens there, for dlopen itself) and then
// reports through its signals whether it could: a trader that read a secret
// at load time could leak it in what it emits.
#include <fcntl.h>
#include <unistd.h>

#include "test_descriptor.hpp"

namespace {

volatile int read_host_file = 0;

[[gnu::constructor]] void at_load() {
  const int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  char byte = 0;
  read_host_file = read(fd, &byte, 1) == 1 ? 1 : 0;
  close(fd);
}

vyx_status filter(const vyx_market*, vyx_filter_output* out) {
  out->matched = read_host_file;
  return VYX_OK;
}

constexpr vyx_plugin descriptor = vyx::test_plugin::descriptor("load_time_reader", &filter);

}  // namespace

VYX_TEST_PLUGIN_ENTRY(descriptor)
