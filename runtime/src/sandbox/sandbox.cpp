// Worker lockdown stages (see sandbox.hpp).
#include "sandbox/sandbox.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sandbox/seccomp_policy.hpp"
#include "vyx/common/landlock.hpp"

namespace vyx::runtime {
namespace {

bool limit(int resource, std::uint64_t value, const char* what, std::string* error) {
  rlimit r{static_cast<rlim_t>(value), static_cast<rlim_t>(value)};
  if (setrlimit(resource, &r) == 0) return true;
  if (error) *error = std::string("setrlimit(") + what + "): " + std::strerror(errno);
  return false;
}

}  // namespace

// Seccomp filters stack and every one applies: whatever the evaluation
// policy allows, the load policy must allow too.
sandbox_policies build_worker_policies(int control_fd) {
  const int pid = static_cast<int>(getpid());
  sandbox_policies p;
  {
    seccomp_policy load("worker-load");
    load.allow_control_channel(control_fd, /*reads=*/false)
        .allow_memory_management()
        .allow_futex()
        .allow_clocks()
        .allow_resource_usage()
        .allow_exit()
        .allow_signals_to_self(pid)
        .allow_dangerous_read_only_file_open()
        .allow_dangerous_executable_mappings()
        .allow_installing_stricter_filter();
#if defined(__SANITIZE_ADDRESS__)
    load.allow_dangerous_sanitizer_runtime();
#endif
    load.trap_dangerous(seccomp_policy::stage::load, control_fd);
    p.load = load.compile();
  }
  {
    seccomp_policy eval("worker-evaluation");
    eval.allow_control_channel(control_fd)
        .allow_memory_management()
        .allow_futex()
        .allow_clocks()
        .allow_resource_usage()
        .allow_exit()
        .allow_signals_to_self(pid);
#if defined(__SANITIZE_ADDRESS__)
    eval.allow_dangerous_sanitizer_runtime();
#endif
    eval.trap_dangerous(seccomp_policy::stage::evaluation, control_fd);
    p.evaluation = eval.compile();
  }
  return p;
}

bool enter_load_lockdown(const sandbox_limits& limits, const sandbox_policies& policies,
                         const std::vector<std::string>& plugin_files, std::string* error) {
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    if (error) *error = std::string("PR_SET_NO_NEW_PRIVS: ") + std::strerror(errno);
    return false;
  }
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  if (limits.address_space != 0 && !limit(RLIMIT_AS, limits.address_space, "address space", error))
    return false;
  if (!limit(RLIMIT_CPU, limits.cpu_seconds, "cpu", error) ||
      !limit(RLIMIT_FSIZE, 0, "file size", error) ||
      !limit(RLIMIT_NOFILE, limits.open_files, "open files", error) ||
      !limit(RLIMIT_CORE, 0, "core", error) || !limit(RLIMIT_NPROC, 0, "processes", error))
    return false;
  // Landlock, before seccomp (which does not allow its calls): while dlopen
  // runs (and with it any constructor or IFUNC resolver of a plugin), the
  // only files the process can open are the plugins themselves. Seccomp must
  // allow read-only opens for dlopen; this keeps them from reaching anything
  // else. A plugin path that cannot be opened gets no rule: its dlopen fails
  // and the plugin is refused with that error. Without Landlock in the
  // kernel, seccomp still holds.
  common::landlock_rules rules;
  rules.read_files = plugin_files;
#if defined(__SANITIZE_ADDRESS__)
  // The sanitizer runtime reads /proc/self/maps when a library is loaded.
  rules.read_trees = {"/proc"};
#endif
  if (common::restrict_file_access(rules, error) == common::landlock_result::failed) return false;
  return seccomp_policy::install(policies.load, error);
}

bool enter_evaluation_lockdown(const sandbox_policies& policies, std::string* error) {
  return seccomp_policy::install(policies.evaluation, error);
}

}  // namespace vyx::runtime
