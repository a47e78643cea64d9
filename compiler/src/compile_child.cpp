// fork, lock down, work, write the answer, _exit; the parent reads with a
// deadline and kills the child when it passes. The child never returns into
// the caller's code and never runs the parent's atexit handlers.
#include "compile_child.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>

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

void set_limit(int resource, rlim_t value) {
  rlimit r{value, value};
  setrlimit(resource, &r);
}

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
  set_limit(RLIMIT_CPU, static_cast<rlim_t>(std::ceil(limits.seconds)) + 1);
  set_limit(RLIMIT_FSIZE, limits.file_bytes);
  set_limit(RLIMIT_CORE, 0);
  // ASan reserves terabytes of shadow address space up front; under it the
  // parent's wall-clock limit is the only memory backstop.
  if (!address_sanitizer) set_limit(RLIMIT_AS, limits.memory_bytes);
  // Nothing the compile prints may reach the caller's terminal or log.
  if (const int null = open("/dev/null", O_RDWR); null >= 0) {
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    if (null > STDERR_FILENO) close(null);
  }
  if (!limits.scratch.empty() && chdir(limits.scratch.c_str()) != 0) _exit(4);
  if (!lock_down_compile_child(limits.readable, limits.scratch)) _exit(5);
  std::string payload;
  try {
    payload = work();
  } catch (...) {
    _exit(3);
  }
  _exit(write_all(out, payload) ? 0 : 6);
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
                                    std::chrono::duration<double>(limits.seconds));
  bool timed_out = false;
  char buffer[65536];
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;  // the loop re-checks the deadline
    const ssize_t n = read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    result.payload.append(buffer, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.wall_ms = std::chrono::duration<double, std::milli>(clock::now() - start).count();

  if (timed_out) {
    result.how = child_result::end::time_limit;
  } else if (WIFEXITED(status)) {
    const int code = WEXITSTATUS(status);
    result.how = code == 0
                     ? child_result::end::ok
                     : (code == 5 ? child_result::end::sandbox_failed : child_result::end::crashed);
  } else if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    if (sig == SIGXCPU || sig == SIGKILL)
      result.how = child_result::end::time_limit;
    else if (sig == SIGXFSZ)
      result.how = child_result::end::output_limit;
    // Out of address space shows up as an abort from the allocator (or a
    // fault when the stack cannot grow).
    else if (sig == SIGABRT || sig == SIGSEGV || sig == SIGBUS)
      result.how = child_result::end::memory_limit;
    else
      result.how = child_result::end::crashed;
  }
  if (result.how != child_result::end::ok) result.payload.clear();
  return result;
}

}  // namespace vyx::compiler
