// A trader that stays well under the per-call deadline but burns
// VYX_HOG_MS of CPU on every symbol: one such trader must not slow every
// tick without bound. Its CPU budget per tick stops it for the rest of the
// tick, and repeated overruns quarantine it.
#include <time.h>

#include <cstdint>

#include "../../runtime_sandbox/plugins/test_descriptor.hpp"

namespace {

volatile std::uint64_t sink = 0;

std::int64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

vyx_status filter(const vyx_market*, vyx_filter_output* out) {
  const std::int64_t until = thread_cpu_ns() + VYX_HOG_MS * 1'000'000ll;
  while (thread_cpu_ns() < until) sink = sink + 1;
  out->matched = 1;
  return VYX_OK;
}

constexpr vyx_plugin descriptor = vyx::test_plugin::descriptor("cpu_hog", &filter);

}  // namespace

VYX_TEST_PLUGIN_ENTRY(descriptor)
