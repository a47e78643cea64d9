// fork, lock down, work, write the answer, _exit; the parent reads with a
// deadline and kills the child when it passes. The child never returns into
// the caller's code and never runs the parent's atexit handlers.
#include "compile_child.hpp"

#include <fcntl.h>
#include <llvm/Support/ErrorHandling.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <new>

#include "sandbox.hpp"

namespace vyx::compiler {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool address_sanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool address_sanitizer = true;
#else
constexpr bool address_sanitizer = false;
#endif
#else
constexpr bool address_sanitizer = false;
#endif

// Exit codes of the child, read by the parent.
constexpr int exit_threw = 3;
constexpr int exit_no_scratch = 4;
constexpr int exit_sandbox_failed = 5;
constexpr int exit_write_failed = 6;
constexpr int exit_out_of_memory = 7;

void set_limit(int resource, rlim_t soft, rlim_t hard) {
  rlimit r{soft, hard};
  setrlimit(resource, &r);
}

void set_limit(int resource, rlim_t value) { set_limit(resource, value, value); }

// An allocation refused under the address-space limit, by operator new or by
// LLVM's own allocators, ends the child with a code the parent reads as the
// memory limit rather than as a crash.
[[noreturn]] void out_of_memory() { _exit(exit_out_of_memory); }
void llvm_out_of_memory(void*, const char*, bool) { out_of_memory(); }

bool write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

[[noreturn]] void child_main(const child_limits& limits, const std::function<std::string()>& work,
                             int out) {
  // SIGXCPU at the soft limit; the kernel's SIGKILL one second later if the
  // child ignores it.
  const auto cpu = static_cast<rlim_t>(std::max(1.0, std::ceil(limits.seconds)));
  set_limit(RLIMIT_CPU, cpu, cpu + 1);
  set_limit(RLIMIT_FSIZE, limits.file_bytes);
  set_limit(RLIMIT_CORE, 0);
  // ASan reserves terabytes of shadow address space up front; under it the
  // parent's watch on resident memory is the only memory limit.
  if (!address_sanitizer) set_limit(RLIMIT_AS, limits.memory_bytes);
  // Nothing the compile prints may reach the caller's terminal or log.
  if (const int null = open("/dev/null", O_RDWR); null >= 0) {
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    if (null > STDERR_FILENO) close(null);
  }
  std::set_new_handler(out_of_memory);
  llvm::install_bad_alloc_error_handler(llvm_out_of_memory);
  if (!limits.scratch.empty() && chdir(limits.scratch.c_str()) != 0) _exit(exit_no_scratch);
  if (!lock_down_compile_child(limits.readable, limits.scratch)) _exit(exit_sandbox_failed);
  std::string payload;
  try {
    payload = work();
  } catch (const std::bad_alloc&) {
    _exit(exit_out_of_memory);
  } catch (...) {
    _exit(exit_threw);
  }
  _exit(write_all(out, payload) ? 0 : exit_write_failed);
}

// The parent also watches the child's resident memory: the address-space
// limit cannot apply under ASan (see child_main), and this catches the case.
constexpr long long memory_poll_ms = 50;

std::uint64_t resident_bytes(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/statm", static_cast<int>(pid));
  FILE* file = std::fopen(path, "r");
  if (file == nullptr) return 0;
  unsigned long long size = 0, resident = 0;
  const int read = std::fscanf(file, "%llu %llu", &size, &resident);
  std::fclose(file);
  if (read != 2) return 0;
  return resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace

const char* to_string(child_result::end how) {
  switch (how) {
    case child_result::end::ok:
      return "ok";
    case child_result::end::time_limit:
      return "time";
    case child_result::end::memory_limit:
      return "memory";
    case child_result::end::output_limit:
      return "output size";
    case child_result::end::crashed:
      return "crash";
    case child_result::end::sandbox_failed:
      return "sandbox";
  }
  return "unknown";
}

child_result run_in_child(const child_limits& limits, const std::function<std::string()>& work) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  child_result result;
  // Debugging aid: VYX_COMPILE_NO_FORK=1 runs the work in this process,
  // without limits or sandbox, so a debugger sees it.
  if (const char* no_fork = std::getenv("VYX_COMPILE_NO_FORK");
      no_fork != nullptr && *no_fork == '1') {
    result.payload = work();
    result.how = child_result::end::ok;
    return result;
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return result;
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return result;
  }
  if (pid == 0) {
    close(fds[0]);
    child_main(limits, work, fds[1]);
  }
  close(fds[1]);

  const auto deadline = start + std::chrono::duration_cast<clock::duration>(
                                    std::chrono::duration<double>(limits.wall_seconds()));
  bool timed_out = false;
  bool over_memory = false;
  char buffer[65536];
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    if (resident_bytes(pid) > limits.memory_bytes) {
      over_memory = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(std::min<long long>(left, memory_poll_ms)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;  // the loop re-checks the deadline and the memory
    const ssize_t n = read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    result.payload.append(buffer, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  if (timed_out || over_memory) kill(pid, SIGKILL);
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  const double cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                             1e-6 * static_cast<double>(usage.ru_utime.tv_usec +
                                                        usage.ru_stime.tv_usec);
  const double peak_bytes = 1024.0 * static_cast<double>(usage.ru_maxrss);
  result.wall_ms = std::chrono::duration<double, std::milli>(clock::now() - start).count();

  if (timed_out) {
    result.how = child_result::end::time_limit;
  } else if (over_memory) {
    result.how = child_result::end::memory_limit;
  } else if (WIFEXITED(status)) {
    switch (WEXITSTATUS(status)) {
      case 0:
        result.how = child_result::end::ok;
        break;
      case exit_sandbox_failed:
        result.how = child_result::end::sandbox_failed;
        break;
      case exit_out_of_memory:
        result.how = child_result::end::memory_limit;
        break;
      default:
        result.how = child_result::end::crashed;
    }
  } else if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    // A fault near the memory limit is an allocation that failed without
    // going through operator new (or a stack that could not grow).
    const bool near_memory_limit =
        !address_sanitizer && peak_bytes >= 0.5 * static_cast<double>(limits.memory_bytes);
    if (sig == SIGXCPU || (sig == SIGKILL && cpu_seconds >= std::floor(limits.seconds)))
      result.how = child_result::end::time_limit;
    else if (sig == SIGKILL)
      result.how = child_result::end::memory_limit;  // the kernel's OOM killer
    else if (sig == SIGXFSZ)
      result.how = child_result::end::output_limit;
    else if ((sig == SIGABRT || sig == SIGSEGV || sig == SIGBUS) && near_memory_limit)
      result.how = child_result::end::memory_limit;
    else
      result.how = child_result::end::crashed;
  }
  if (result.how != child_result::end::ok) result.payload.clear();
  return result;
}

}  // namespace vyx::compiler
