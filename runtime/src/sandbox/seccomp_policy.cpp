// Builds worker seccomp policies with libseccomp (see seccomp_policy.hpp).
#include "sandbox/seccomp_policy.hpp"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "protocol/progress_slot.hpp"
#include "protocol/worker_exit.hpp"

namespace vyx::runtime {
namespace {

scmp_filter_ctx ctx_of(void* p) {
  return static_cast<scmp_filter_ctx>(p);
}

// Syscalls on the evaluation hot path: checked first in the BPF program.
constexpr int hot_priority = 250;

}  // namespace

seccomp_policy::seccomp_policy(std::string name) : name_(std::move(name)) {
  ctx_ = seccomp_init(SCMP_ACT_KILL_PROCESS);
  if (ctx_ == nullptr) throw std::runtime_error("seccomp_init failed");
  // A syscall made through another architecture's entry (int 0x80, x32) is
  // not what the rules were written for: kill.
  seccomp_attr_set(ctx_of(ctx_), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
  // no_new_privs is set by install() itself.
  seccomp_attr_set(ctx_of(ctx_), SCMP_FLTATR_CTL_NNP, 0);
}

seccomp_policy::~seccomp_policy() {
  seccomp_release(ctx_of(ctx_));
}

void seccomp_policy::rule(int action, int nr, const char* why, unsigned arg_count,
                          const void* args) {
  int rc = seccomp_rule_add_array(ctx_of(ctx_), static_cast<std::uint32_t>(action), nr, arg_count,
                                  static_cast<const scmp_arg_cmp*>(args));
  if (rc != 0)
    throw std::runtime_error(name_ + ": cannot add seccomp rule for " + syscall_name(nr) + " (" +
                             why + "): " + std::strerror(-rc));
}

seccomp_policy& seccomp_policy::allow_control_channel(int fd, bool reads) {
  const scmp_arg_cmp on_fd[] = {SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(fd))};
  for (int nr : {SCMP_SYS(read), SCMP_SYS(write)}) {
    if (nr == SCMP_SYS(read) && !reads) continue;
    rule(SCMP_ACT_ALLOW, nr, "control channel", 1, on_fd);
    seccomp_syscall_priority(ctx_of(ctx_), nr, hot_priority);
  }
  return *this;
}

seccomp_policy& seccomp_policy::allow_memory_management() {
  const scmp_arg_cmp no_exec[] = {SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)};
  rule(SCMP_ACT_ALLOW, SCMP_SYS(mmap), "memory", 1, no_exec);
  rule(SCMP_ACT_ALLOW, SCMP_SYS(mprotect), "memory", 1, no_exec);
  for (int nr : {SCMP_SYS(brk), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(madvise)})
    rule(SCMP_ACT_ALLOW, nr, "memory");
  seccomp_syscall_priority(ctx_of(ctx_), SCMP_SYS(mmap), hot_priority - 1);
  seccomp_syscall_priority(ctx_of(ctx_), SCMP_SYS(munmap), hot_priority - 1);
  return *this;
}

seccomp_policy& seccomp_policy::allow_futex() {
  rule(SCMP_ACT_ALLOW, SCMP_SYS(futex), "futex");
  rule(SCMP_ACT_ALLOW, SCMP_SYS(sched_yield), "futex");
  seccomp_syscall_priority(ctx_of(ctx_), SCMP_SYS(futex), hot_priority - 1);
  return *this;
}

seccomp_policy& seccomp_policy::allow_clocks() {
  for (int nr : {SCMP_SYS(clock_gettime), SCMP_SYS(gettimeofday), SCMP_SYS(time)})
    rule(SCMP_ACT_ALLOW, nr, "clocks");
  return *this;
}

seccomp_policy& seccomp_policy::allow_resource_usage() {
  rule(SCMP_ACT_ALLOW, SCMP_SYS(getrusage), "resource usage");
  return *this;
}

seccomp_policy& seccomp_policy::allow_exit() {
  for (int nr : {SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(rt_sigreturn)})
    rule(SCMP_ACT_ALLOW, nr, "exit");
  return *this;
}

seccomp_policy& seccomp_policy::allow_signals_to_self(int pid) {
  for (int nr : {SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(rt_sigprocmask)})
    rule(SCMP_ACT_ALLOW, nr, "self signals");
  const scmp_arg_cmp self[] = {SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(pid))};
  rule(SCMP_ACT_ALLOW, SCMP_SYS(tgkill), "self signals", 1, self);
  rule(SCMP_ACT_ALLOW, SCMP_SYS(kill), "self signals", 1, self);
  return *this;
}

seccomp_policy& seccomp_policy::allow_dangerous_read_only_file_open() {
  // O_ACCMODE bits 0 (O_RDONLY) and none of the flags that create or change files.
  const scmp_datum_t forbidden = O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND | O_TMPFILE;
  const scmp_arg_cmp read_only[] = {SCMP_A2(SCMP_CMP_MASKED_EQ, forbidden, 0)};
  rule(SCMP_ACT_ALLOW, SCMP_SYS(openat), "dlopen: read-only open", 1, read_only);
  for (int nr : {SCMP_SYS(read), SCMP_SYS(pread64), SCMP_SYS(fstat), SCMP_SYS(newfstatat),
                 SCMP_SYS(statx), SCMP_SYS(lseek), SCMP_SYS(close), SCMP_SYS(readlink),
                 SCMP_SYS(getcwd), SCMP_SYS(access), SCMP_SYS(faccessat), SCMP_SYS(faccessat2)})
    rule(SCMP_ACT_ALLOW, nr, "dlopen: reading the plugin");
  return *this;
}

seccomp_policy& seccomp_policy::allow_dangerous_executable_mappings() {
  // The ELF audit refuses text relocations and executable stacks, so the
  // loader never needs mprotect(PROT_EXEC); files are opened read-only, and
  // memfd_create and every writing call are denied, so a file mapped here
  // holds what was on disk when the worker started.
  const scmp_arg_cmp code_from_file[] = {
      SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC | PROT_WRITE, PROT_EXEC),
      SCMP_A3(SCMP_CMP_MASKED_EQ, MAP_ANONYMOUS, 0)};
  rule(SCMP_ACT_ALLOW, SCMP_SYS(mmap), "dlopen: code segments", 2, code_from_file);
  return *this;
}

seccomp_policy& seccomp_policy::allow_installing_stricter_filter() {
  const scmp_arg_cmp set_filter[] = {SCMP_A0(SCMP_CMP_EQ, SECCOMP_SET_MODE_FILTER)};
  rule(SCMP_ACT_ALLOW, SCMP_SYS(seccomp), "stacking the evaluation policy", 1, set_filter);
  return *this;
}

seccomp_policy& seccomp_policy::allow_dangerous_sanitizer_runtime() {
  for (int nr : {SCMP_SYS(pipe2), SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(close)})
    rule(SCMP_ACT_ALLOW, nr, "sanitizer runtime");
  sanitizer_runtime_ = true;
  return *this;
}

seccomp_policy& seccomp_policy::trap_dangerous(stage at, int control_fd) {
  const int trap = static_cast<int>(SCMP_ACT_TRAP);
  for (int nr : {SCMP_SYS(open),
                 SCMP_SYS(creat),
                 SCMP_SYS(openat2),
                 SCMP_SYS(open_by_handle_at),
                 SCMP_SYS(socket),
                 SCMP_SYS(socketpair),
                 SCMP_SYS(connect),
                 SCMP_SYS(bind),
                 SCMP_SYS(listen),
                 SCMP_SYS(accept),
                 SCMP_SYS(accept4),
                 SCMP_SYS(sendto),
                 SCMP_SYS(sendmsg),
                 SCMP_SYS(recvfrom),
                 SCMP_SYS(recvmsg),
                 SCMP_SYS(fork),
                 SCMP_SYS(vfork),
                 SCMP_SYS(clone),
                 SCMP_SYS(clone3),
                 SCMP_SYS(execve),
                 SCMP_SYS(execveat),
                 SCMP_SYS(ptrace),
                 SCMP_SYS(process_vm_readv),
                 SCMP_SYS(process_vm_writev),
                 SCMP_SYS(unlink),
                 SCMP_SYS(unlinkat),
                 SCMP_SYS(rename),
                 SCMP_SYS(renameat),
                 SCMP_SYS(mkdir),
                 SCMP_SYS(chmod),
                 SCMP_SYS(chown),
                 SCMP_SYS(setrlimit),
                 SCMP_SYS(prlimit64),
                 SCMP_SYS(prctl),
                 SCMP_SYS(rt_sigaction),
                 SCMP_SYS(pwrite64),
                 SCMP_SYS(writev),
                 SCMP_SYS(memfd_create),
                 SCMP_SYS(mount),
                 SCMP_SYS(unshare),
                 SCMP_SYS(setns),
                 SCMP_SYS(bpf),
                 SCMP_SYS(perf_event_open),
                 SCMP_SYS(io_uring_setup),
                 SCMP_SYS(userfaultfd),
                 SCMP_SYS(tkill)})
    rule(trap, nr, "named denial");
  // W^X at every stage (the load stage allows only what
  // allow_dangerous_executable_mappings lists).
  const scmp_arg_cmp adds_exec[] = {SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC)};
  rule(trap, SCMP_SYS(mprotect), "W^X: mprotect adding PROT_EXEC", 1, adds_exec);
  rule(trap, SCMP_SYS(pkey_mprotect), "W^X: pkey_mprotect");
  if (at == stage::load) {
    const scmp_arg_cmp writable_code[] = {
        SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC | PROT_WRITE, PROT_EXEC | PROT_WRITE)};
    rule(trap, SCMP_SYS(mmap), "W^X: writable and executable mapping", 1, writable_code);
    const scmp_arg_cmp anonymous_code[] = {SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC),
                                           SCMP_A3(SCMP_CMP_MASKED_EQ, MAP_ANONYMOUS,
                                                   MAP_ANONYMOUS)};
    rule(trap, SCMP_SYS(mmap), "W^X: anonymous executable mapping", 2, anonymous_code);
  }
  const scmp_arg_cmp other_fd[] = {SCMP_A0(SCMP_CMP_NE, static_cast<scmp_datum_t>(control_fd))};
  if (!sanitizer_runtime_)
    rule(trap, SCMP_SYS(write), "write outside the control channel", 1, other_fd);
  if (at == stage::load) return *this;
  rule(trap, SCMP_SYS(openat), "no files at evaluation");
  if (!sanitizer_runtime_)
    rule(trap, SCMP_SYS(read), "read outside the control channel", 1, other_fd);
  const scmp_arg_cmp exec[] = {SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC)};
  rule(trap, SCMP_SYS(mmap), "executable memory", 1, exec);
  return *this;
}

std::vector<sock_filter> seccomp_policy::compile() const {
  // libseccomp 2.5 exports BPF to a file descriptor only: go through a memfd.
  int fd = memfd_create("vyx-seccomp-bpf", MFD_CLOEXEC);
  if (fd < 0) throw std::runtime_error(name_ + ": memfd_create failed");
  int rc = seccomp_export_bpf(ctx_of(ctx_), fd);
  off_t size = lseek(fd, 0, SEEK_END);
  std::vector<sock_filter> program(size > 0 ? static_cast<std::size_t>(size) / sizeof(sock_filter)
                                            : 0);
  bool ok =
      rc == 0 && size > 0 && pread(fd, program.data(), static_cast<std::size_t>(size), 0) == size;
  close(fd);
  if (!ok) throw std::runtime_error(name_ + ": cannot export the seccomp program");
  return program;
}

bool seccomp_policy::install(const std::vector<sock_filter>& program, std::string* error) {
  sock_fprog prog{static_cast<unsigned short>(program.size()),
                  const_cast<sock_filter*>(program.data())};
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) {
    if (error) *error = std::string("seccomp(SET_MODE_FILTER): ") + std::strerror(errno);
    return false;
  }
  return true;
}

namespace {
progress_slot* g_sigsys_slot = nullptr;

void on_sigsys(int, siginfo_t* info, void*) {
  if (g_sigsys_slot != nullptr)
    g_sigsys_slot->trapped_syscall.store(info->si_syscall, std::memory_order_relaxed);
  exit_worker(worker_exit::trapped_syscall);
}
}  // namespace

void install_sigsys_reporter(progress_slot* slot) {
  g_sigsys_slot = slot;
  struct sigaction sa {};
  sa.sa_sigaction = on_sigsys;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSYS, &sa, nullptr);
}

std::string syscall_name(int number) {
  char* n = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, number);
  if (n == nullptr) return "syscall " + std::to_string(number);
  std::string s(n);
  free(n);
  return s;
}

}  // namespace vyx::runtime
