// A plugin whose constructor misbehaves at dlopen time (it runs before any
// descriptor check): it tries to write to stdout and open a socket. The
// load-time lockdown must stop it before it gets anywhere.
#include <sys/socket.h>
#include <unistd.h>

#include "test_descriptor.hpp"

namespace {

volatile long sink = 0;

[[gnu::constructor]] void at_load() {
  sink = write(1, "loaded and free\n", 16);
  sink = socket(AF_INET, SOCK_STREAM, 0);
}

vyx_status filter(const vyx_market*, vyx_filter_output* out) {
  out->matched = 1;
  return VYX_OK;
}

constexpr vyx_plugin descriptor = vyx::test_plugin::descriptor("load_time_attacker", &filter);

}  // namespace

VYX_TEST_PLUGIN_ENTRY(descriptor)
