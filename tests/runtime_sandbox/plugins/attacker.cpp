// A hostile trader for the death tests, built once per forbidden operation
// (VYX_ATTACK_<name> defined by CMake). It behaves on every symbol except
// VYX_ATTACK_SYMBOL, where it attacks, so the fault must be pinned precisely and
// the rest of the tick must still be evaluated.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <vector>

#include "test_descriptor.hpp"

#ifndef VYX_ATTACK_SYMBOL
#define VYX_ATTACK_SYMBOL "SYM03"
#endif

namespace {

volatile int zero = 0;
volatile int numerator = 7;
volatile long sink = 0;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winfinite-recursion"
[[gnu::noinline]] long recurse(long depth) {
  volatile char frame[256];
  frame[depth % 256] = static_cast<char>(depth);
  return recurse(depth + 1) + frame[0];
}
#pragma GCC diagnostic pop

void attack(const vyx_market* m) {
#if defined(VYX_ATTACK_open_file)
  sink = open("/etc/hostname", O_RDONLY);
#elif defined(VYX_ATTACK_socket)
  sink = socket(AF_INET, SOCK_STREAM, 0);
#elif defined(VYX_ATTACK_fork)
  sink = fork();
#elif defined(VYX_ATTACK_exec)
  char* const argv[] = {const_cast<char*>("/bin/true"), nullptr};
  sink = execv("/bin/true", argv);
#elif defined(VYX_ATTACK_ptrace)
  sink = ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);
#elif defined(VYX_ATTACK_write_stdout)
  sink = write(1, "pwned\n", 6);
#elif defined(VYX_ATTACK_mmap_exec)
  void* p =
      mmap(nullptr, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  sink = reinterpret_cast<long>(p);
#elif defined(VYX_ATTACK_spin)
  for (;;) sink = sink + 1;
#elif defined(VYX_ATTACK_recurse)
  sink = recurse(0);
#elif defined(VYX_ATTACK_allocate)
  std::vector<char*> hoard;
  for (;;) {
    char* p = new char[1 << 20];
    std::memset(p, 1, 1 << 20);
    hoard.push_back(p);
  }
#elif defined(VYX_ATTACK_read_out_of_bounds)
  const vyx_candles* c = m->timeframes[VYX_TF_1M];
  sink = static_cast<long>(c->close[c->count + (1ull << 36)]);
#elif defined(VYX_ATTACK_divide_by_zero)
  // Not 1 / x: compilers rewrite that without a division.
  sink = numerator / zero;
#elif defined(VYX_ATTACK_none)
#else
#error "define VYX_ATTACK_<name>"
#endif
  (void)m;
}

// A byte loop, not strcmp: the benchmark loads this plugin through the
// runtime's ELF audit, which allows no libc string functions.
bool is_target(const char* symbol) {
  const char* target = VYX_ATTACK_SYMBOL;
  int i = 0;
  for (; symbol[i] != 0 && symbol[i] == target[i]; ++i) {
  }
  return symbol[i] == target[i];
}

vyx_status filter(const vyx_market* m, vyx_filter_output* out) {
  if (is_target(m->symbol)) attack(m);
  out->matched = 1;
  return VYX_OK;
}

constexpr vyx_plugin descriptor = vyx::test_plugin::descriptor("attacker", &filter);

}  // namespace

VYX_TEST_PLUGIN_ENTRY(descriptor)
