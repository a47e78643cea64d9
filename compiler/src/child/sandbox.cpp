// The compile child's lockdown, deny-by-name: the compile needs files,
// memory and threads, so the filter allows by default and names everything
// that reaches outside (network, exec, processes, tracing, kernel objects).
#include "child/sandbox.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <seccomp.h>
#include <sys/prctl.h>

#include <cerrno>
#include <csignal>
#include <initializer_list>

#include "vyx/common/landlock.hpp"

namespace vyx::compiler {
namespace {

class filter_builder {
 public:
  filter_builder() : ctx_(seccomp_init(SCMP_ACT_ALLOW)) {}
  ~filter_builder() {
    if (ctx_ != nullptr) seccomp_release(ctx_);
  }
  bool ok() const { return ctx_ != nullptr && ok_; }

  filter_builder& deny_network() {
    return deny({SCMP_SYS(socket), SCMP_SYS(socketpair), SCMP_SYS(connect), SCMP_SYS(bind),
                 SCMP_SYS(listen), SCMP_SYS(accept), SCMP_SYS(accept4), SCMP_SYS(sendto),
                 SCMP_SYS(sendmsg), SCMP_SYS(sendmmsg)});
  }
  filter_builder& deny_exec() { return deny({SCMP_SYS(execve), SCMP_SYS(execveat)}); }
  // Threads (clone with CLONE_THREAD) stay allowed: clang may run a parse on
  // a thread with a bigger stack. New processes do not.
  filter_builder& deny_new_processes() {
    deny({SCMP_SYS(fork), SCMP_SYS(vfork)});
    add(seccomp_rule_add(ctx_, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                         SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0)));
    // clone3 passes its flags in memory the filter cannot read: ENOSYS makes
    // glibc fall back to clone, which the rule above inspects.
    add(seccomp_rule_add(ctx_, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0));
    return *this;
  }
  filter_builder& deny_tracing_and_signalling_others() {
    return deny({SCMP_SYS(ptrace), SCMP_SYS(process_vm_readv), SCMP_SYS(process_vm_writev),
                 SCMP_SYS(kill), SCMP_SYS(pidfd_open), SCMP_SYS(pidfd_send_signal)});
  }
  filter_builder& deny_namespaces_and_mounts() {
    return deny({SCMP_SYS(unshare), SCMP_SYS(setns), SCMP_SYS(mount), SCMP_SYS(umount2),
                 SCMP_SYS(pivot_root), SCMP_SYS(chroot), SCMP_SYS(open_tree), SCMP_SYS(move_mount),
                 SCMP_SYS(fsopen)});
  }
  filter_builder& deny_kernel_objects() {
    return deny({SCMP_SYS(bpf), SCMP_SYS(perf_event_open), SCMP_SYS(keyctl), SCMP_SYS(add_key),
                 SCMP_SYS(request_key), SCMP_SYS(io_uring_setup), SCMP_SYS(userfaultfd),
                 SCMP_SYS(init_module), SCMP_SYS(finit_module), SCMP_SYS(delete_module),
                 SCMP_SYS(kexec_load), SCMP_SYS(reboot), SCMP_SYS(personality)});
  }
  bool install() { return ok() && seccomp_load(ctx_) == 0; }

 private:
  filter_builder& deny(std::initializer_list<int> syscalls) {
    for (int s : syscalls) add(seccomp_rule_add(ctx_, SCMP_ACT_ERRNO(EPERM), s, 0));
    return *this;
  }
  void add(int rc) { ok_ = ok_ && rc == 0; }
  scmp_filter_ctx ctx_;
  bool ok_ = true;
};

}  // namespace

bool lock_down_compile_child(const std::vector<std::filesystem::path>& readable,
                             const std::filesystem::path& scratch) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  prctl(PR_SET_DUMPABLE, 0);
  // An empty network namespace where unprivileged user namespaces exist;
  // where they don't, the seccomp filter below still refuses every socket.
  (void)unshare(CLONE_NEWUSER | CLONE_NEWNET);
  // Landlock: read-only beneath `readable`, read-write beneath `scratch`,
  // nothing else (skipped where the kernel has no Landlock).
  if (!scratch.empty()) {
    common::landlock_rules rules;
    for (const auto& p : readable) rules.read_trees.push_back(p.string());
#if defined(__SANITIZE_ADDRESS__)
    // The sanitizer runtime reads /proc/self/maps (pthread_getattr_np on the
    // main thread, from its signal handling); refused, it aborts the child.
    rules.read_trees.push_back("/proc");
#endif
    rules.write_trees.push_back(scratch.string());
    if (common::restrict_file_access(rules, nullptr) == common::landlock_result::failed)
      return false;
  }
  filter_builder filter;
  filter.deny_network()
      .deny_exec()
      .deny_new_processes()
      .deny_tracing_and_signalling_others()
      .deny_namespaces_and_mounts()
      .deny_kernel_objects();
  return filter.install();
}

}  // namespace vyx::compiler
