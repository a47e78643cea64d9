// The exit statuses a worker process ends with by its own hand, named on both
// sides of the pipe: the worker exits with them, the pool reads them back.
#pragma once

#include <sys/syscall.h>
#include <unistd.h>

namespace vyx::runtime {

enum class worker_exit : int {
  normal = 0,                // the pool closed the control pipe, or a reply could not be sent
  startup_failed = 120,      // before lockdown: arguments, store or plugins (stderr says which)
  lockdown_failed = 121,     // the evaluation lockdown could not be entered
  protocol_error = 122,      // a malformed frame from the pool (after lockdown: no stderr)
  descriptors_failed = 126,  // between fork and exec: the descriptors could not be placed
  exec_failed = 127,         // between fork and exec: exec failed, or the pool was already gone
  out_of_memory = 158,       // an allocation failed under the address-space limit
  trapped_syscall = 159,     // a named syscall was trapped (the progress slot says which)
};

// exit_group, not exit: one thread's exit would leave the others running.
// Always inlined: it runs in the SIGSYS handler under seccomp, and a call to a
// noreturn function makes AddressSanitizer call its no-return hook first, which
// asks sigaltstack (not allowed there), and the worker dies of a second SIGSYS
// instead of reporting the first (seen in the -Og sanitizer build).
[[noreturn, gnu::always_inline]] inline void exit_worker(worker_exit status) {
  syscall(SYS_exit_group, static_cast<int>(status));
  __builtin_unreachable();
}

// What the pool tells the user for a status that is not a fault of a trader.
inline const char* describe_exit(worker_exit status) {
  switch (status) {
    case worker_exit::normal:
      return "worker exited";
    case worker_exit::startup_failed:
      return "worker failed to start";
    case worker_exit::lockdown_failed:
      return "worker could not enter its lockdown";
    case worker_exit::protocol_error:
      return "worker received a malformed message";
    case worker_exit::descriptors_failed:
      return "worker descriptors could not be set up";
    case worker_exit::exec_failed:
      return "worker program could not be executed";
    case worker_exit::out_of_memory:
      return "out of memory (address-space limit)";
    case worker_exit::trapped_syscall:
      return "seccomp: trapped syscall";
  }
  return "worker exited";
}

}  // namespace vyx::runtime
