// The worker's lockdown, in two stages: before dlopen (no-new-privs, rlimits,
// Landlock limiting file access to the plugins, a load-time seccomp policy)
// so nothing a plugin runs at load time escapes, then the tighter evaluation
// policy before any market data is touched.
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <string>
#include <vector>

namespace vyx::runtime {

struct sandbox_limits {
  std::uint64_t address_space = 1ull << 30;  // bytes; 0 = leave as is (sanitizer builds)
  std::uint64_t cpu_seconds = 600;           // lifetime CPU of one worker; the pool recycles before
  std::uint64_t open_files = 32;
};

// Both policies are compiled before the first is installed: libseccomp is
// not run under a policy it did not plan for.
struct sandbox_policies {
  std::vector<sock_filter> load;
  std::vector<sock_filter> evaluation;
};
sandbox_policies build_worker_policies(int control_fd);

// Stage 1: PR_SET_NO_NEW_PRIVS, not dumpable (no core files, no ptrace
// attach), hard rlimits (address space, CPU, file size 0, open files, no
// processes, no core), Landlock (read `plugin_files` only; where the kernel
// has no Landlock, seccomp's read-only opens are the limit), then the load
// policy.
bool enter_load_lockdown(const sandbox_limits& limits, const sandbox_policies& policies,
                         const std::vector<std::string>& plugin_files, std::string* error);
// Stage 2: stacks the evaluation policy on top.
bool enter_evaluation_lockdown(const sandbox_policies& policies, std::string* error);

}  // namespace vyx::runtime
