// A deny-by-default seccomp policy built from named allow_*() steps
// (sandbox2 / Chromium bpf_dsl style). Default action: kill the process;
// the architecture is checked; hot syscalls are placed first. Every step that
// grants something risky says so in its name (allow_dangerous_*).
#pragma once

#include <linux/filter.h>

#include <string>
#include <vector>

namespace vyx::runtime {

class seccomp_policy {
 public:
  explicit seccomp_policy(std::string name);
  ~seccomp_policy();
  seccomp_policy(const seccomp_policy&) = delete;
  seccomp_policy& operator=(const seccomp_policy&) = delete;

  // --- steps every worker policy needs ---------------------------------
  // read/write only on the socket to the pool. Stacked filters all apply, so
  // the load policy must allow the channel too; there reads are already
  // allowed on any fd (reads=false) for dlopen.
  seccomp_policy& allow_control_channel(int fd, bool reads = true);
  // brk, munmap, mremap, madvise; mmap/mprotect only without PROT_EXEC.
  seccomp_policy& allow_memory_management();
  // futex (libstdc++ call_once, allocator locks), sched_yield.
  seccomp_policy& allow_futex();
  // clock_gettime & co. (normally served by the vDSO without a syscall).
  seccomp_policy& allow_clocks();
  // getrusage (the worker reports its CPU time so the pool can recycle it).
  seccomp_policy& allow_resource_usage();
  // exit, exit_group, rt_sigreturn.
  seccomp_policy& allow_exit();
  // abort(): getpid, gettid, rt_sigprocmask, tgkill/kill aimed at this process only.
  seccomp_policy& allow_signals_to_self(int pid);

  // --- load time only: what dlopen needs, visibly named -----------------
  // openat with O_RDONLY (no O_CREAT, no write access) and the reads, stats and
  // closes that follow. Lets a plugin constructor read files: only before the
  // evaluation policy is stacked on top, and with no write or network syscall
  // to take anything out.
  seccomp_policy& allow_dangerous_read_only_file_open();
  // mmap with PROT_EXEC of a file, never writable: mapping the plugin's code
  // segments, and nothing else. W^X for the worker's whole life: no anonymous
  // executable memory, no writable-and-executable mapping, and no mprotect
  // that adds PROT_EXEC (trapped at every stage by trap_dangerous), so code
  // loaded at start is the only code there ever is.
  seccomp_policy& allow_dangerous_executable_mappings();
  // seccomp(SECCOMP_SET_MODE_FILTER): stacking the evaluation policy on top
  // (filters only ever add restrictions).
  seccomp_policy& allow_installing_stricter_filter();

  // Sanitizer builds only: ASan/UBSan probe memory through a pipe (pipe2,
  // read, write, close on any fd). Never used in a normal build.
  seccomp_policy& allow_dangerous_sanitizer_runtime();

  // --- named denials --------------------------------------------------
  // The syscalls an attacker reaches for (open, socket, fork, exec, ptrace,
  // writes to other fds, executable mappings...) stop the process through
  // SIGSYS with the syscall number, so the fault gets a named reason.
  // Everything else not allowed kills the process outright (the default).
  enum class stage { load, evaluation };
  // At load time openat, reads and executable mappings are allowed by the
  // steps above and only the control channel may be written; at evaluation
  // only the control channel may be read or written.
  seccomp_policy& trap_dangerous(stage at, int control_fd);

  // The BPF program (libseccomp's output), ready to install.
  std::vector<sock_filter> compile() const;
  const std::string& name() const { return name_; }

  // seccomp(SECCOMP_SET_MODE_FILTER), raw: nothing here allocates, so it can
  // run under a previous policy. The caller has set PR_SET_NO_NEW_PRIVS.
  static bool install(const std::vector<sock_filter>& program, std::string* error);

 private:
  void rule(int action, int syscall, const char* why, unsigned arg_count = 0,
            const void* args = nullptr);
  std::string name_;
  void* ctx_;  // scmp_filter_ctx
  bool sanitizer_runtime_ = false;
};

// Installs the SIGSYS handler that records the trapped syscall in the
// progress slot and ends the process with worker_exit::trapped_syscall.
struct progress_slot;
void install_sigsys_reporter(progress_slot* slot);

// Name of a syscall number on this architecture ("openat"), or "syscall N".
std::string syscall_name(int number);

}  // namespace vyx::runtime
