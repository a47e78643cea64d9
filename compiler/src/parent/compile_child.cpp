// The parent's side of a compile child: write the job into a memfd, fork,
// and between fork and exec make only async-signal-safe calls (the parent may
// be multi-threaded: any lock another thread held at fork time stays locked
// in the child until exec replaces it). Then wait for the answer on a pipe,
// with a CPU limit in the child and a clock and a memory watch here.
#include "parent/compile_child.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "protocol/fd_io.hpp"
#include "protocol/line_codec.hpp"

extern char** environ;

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

// The parent also watches the child's resident memory: the address-space
// limit cannot apply under ASan (which reserves terabytes of shadow), and a
// watch catches what the limit does not.
constexpr long long memory_poll_ms = 50;
// How long a child stopped at a limit has to say where it was.
constexpr long long last_words_ms = 2000;

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

// What the child reads on stdin: its sandbox, then the job.
std::string envelope(const child_limits& limits, const std::string& job) {
  std::string out = "vyx-child\t1\n";
  out += "scratch\t" + escape_field(limits.scratch.string()) + "\n";
  for (const auto& path : limits.readable) out += "readable\t" + escape_field(path.string()) + "\n";
  out += "job\n";
  return out + job;
}

// A memfd holding `text`, positioned at its start; -1 on failure.
int memory_file(const std::string& text) {
  const int fd = memfd_create("vyx-compile-job", MFD_CLOEXEC);
  if (fd < 0) return -1;
  if (!write_all(fd, text) || lseek(fd, 0, SEEK_SET) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

void set_limit(int resource, rlim_t soft, rlim_t hard) {
  const rlimit r{soft, hard};
  setrlimit(resource, &r);
}

// Between fork and exec: async-signal-safe calls only.
[[noreturn]] void exec_child(const child_limits& limits, const char* executable, int job_fd,
                             int null_fd, int answer_fd) {
  if (dup2(job_fd, STDIN_FILENO) < 0 || dup2(null_fd, STDOUT_FILENO) < 0 ||
      dup2(null_fd, STDERR_FILENO) < 0 || dup2(answer_fd, 3) < 0)
    _exit(child_exit::exec_failed);
  // Nothing else of the parent's (sockets, the cache, a service's clients).
  if (syscall(SYS_close_range, 4u, ~0u, 0u) != 0)
    for (int fd = 4; fd < 4096; ++fd) close(fd);
  // SIGXCPU at the soft limit; the kernel's SIGKILL a second later.
  const auto cpu = static_cast<rlim_t>(std::max(1.0, std::ceil(limits.seconds)));
  set_limit(RLIMIT_CPU, cpu, cpu + 1);
  set_limit(RLIMIT_FSIZE, limits.file_bytes, limits.file_bytes);
  set_limit(RLIMIT_CORE, 0, 0);
  if (!address_sanitizer) set_limit(RLIMIT_AS, limits.memory_bytes, limits.memory_bytes);
  char* const argv[] = {const_cast<char*>(executable), nullptr};
  execve(executable, argv, environ);
  _exit(child_exit::exec_failed);
}

// One wait of up to `wait_ms` for the child's answer on `fd`, appended to
// `payload`; an interrupted wait or read is "nothing yet".
enum class answer_read { data, nothing_yet, closed };
answer_read read_answer(int fd, int wait_ms, std::string& payload) {
  pollfd p{fd, POLLIN, 0};
  const int ready = poll(&p, 1, wait_ms);
  if ((ready < 0 && errno == EINTR) || ready == 0) return answer_read::nothing_yet;
  char buffer[65536];
  const ssize_t n = read(fd, buffer, sizeof buffer);
  if (n < 0 && errno == EINTR) return answer_read::nothing_yet;
  if (n <= 0) return answer_read::closed;
  payload.append(buffer, static_cast<std::size_t>(n));
  return answer_read::data;
}

long long ms_until(std::chrono::steady_clock::time_point deadline) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                               std::chrono::steady_clock::now())
      .count();
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
    case child_result::end::nesting_limit:
      return "nesting depth";
    case child_result::end::killed:
      return "killed";
    case child_result::end::crashed:
      return "crash";
    case child_result::end::sandbox_failed:
      return "sandbox";
  }
  return "unknown";
}

child_result run_in_child(const child_limits& limits, const std::filesystem::path& executable,
                          const std::string& job) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  child_result result;
  const std::string program = executable.string();
  const int job_fd = memory_file(envelope(limits, job));
  const int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  int fds[2] = {-1, -1};
  const auto close_all = [&] {
    for (const int fd : {job_fd, null_fd, fds[0], fds[1]})
      if (fd >= 0) close(fd);
  };
  if (job_fd < 0 || null_fd < 0 || pipe2(fds, O_CLOEXEC) != 0) {
    close_all();
    return result;
  }
  const pid_t pid = fork();
  if (pid == 0) exec_child(limits, program.c_str(), job_fd, null_fd, fds[1]);
  close(job_fd);
  close(null_fd);
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    return result;
  }

  const auto deadline = start + std::chrono::duration_cast<clock::duration>(
                                    std::chrono::duration<double>(limits.wall_seconds()));
  bool timed_out = false;
  bool over_memory = false;
  while (true) {
    const long long left = ms_until(deadline);
    if (left <= 0) {
      timed_out = true;
      break;
    }
    if (resident_bytes(pid) > limits.memory_bytes) {
      over_memory = true;
      break;
    }
    // Nothing yet: the loop re-checks the deadline and the memory.
    if (read_answer(fds[0], static_cast<int>(std::min(left, memory_poll_ms)), result.payload) ==
        answer_read::closed)
      break;
  }
  if (timed_out || over_memory) {
    // The signal of the CPU limit first: the child says where the work was
    // (its last words, compile_child.hpp) and exits; the kill follows.
    kill(pid, SIGXCPU);
    const auto last_words_deadline = clock::now() + std::chrono::milliseconds(last_words_ms);
    for (long long left = ms_until(last_words_deadline);
         left > 0 && read_answer(fds[0], static_cast<int>(left), result.payload) !=
                         answer_read::closed;
         left = ms_until(last_words_deadline)) {
    }
    kill(pid, SIGKILL);
  }
  close(fds[0]);
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  const double cpu_seconds =
      static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
      1e-6 * static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
  const double peak_bytes = 1024.0 * static_cast<double>(usage.ru_maxrss);
  result.wall_ms = std::chrono::duration<double, std::milli>(clock::now() - start).count();

  if (timed_out) {
    result.how = child_result::end::time_limit;
  } else if (over_memory) {
    result.how = child_result::end::memory_limit;
  } else if (WIFEXITED(status)) {
    switch (WEXITSTATUS(status)) {
      case child_exit::ok:
        result.how = child_result::end::ok;
        break;
      case child_exit::sandbox_failed:
        result.how = child_result::end::sandbox_failed;
        break;
      case child_exit::out_of_memory:
        result.how = child_result::end::memory_limit;
        break;
      case child_exit::time_limit:
        result.how = child_result::end::time_limit;
        break;
      case child_exit::stack_limit:
        result.how = child_result::end::nesting_limit;
        break;
      default:
        result.how = child_result::end::crashed;
    }
  } else if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    result.signal = sig;
    // A fault near the memory limit is an allocation that failed without
    // going through operator new (or a stack that could not grow).
    const bool near_memory_limit =
        !address_sanitizer && peak_bytes >= 0.5 * static_cast<double>(limits.memory_bytes);
    if (sig == SIGXCPU || (sig == SIGKILL && cpu_seconds >= std::floor(limits.seconds)))
      result.how = child_result::end::time_limit;
    else if (sig == SIGKILL && near_memory_limit)
      result.how = child_result::end::memory_limit;  // the kernel's OOM killer
    else if (sig == SIGKILL || sig == SIGTERM || sig == SIGINT || sig == SIGHUP)
      result.how = child_result::end::killed;  // not ours to kill, not a limit it reached
    else if (sig == SIGXFSZ)
      result.how = child_result::end::output_limit;
    else if ((sig == SIGABRT || sig == SIGSEGV || sig == SIGBUS) && near_memory_limit)
      result.how = child_result::end::memory_limit;
    else
      result.how = child_result::end::crashed;
  }
  if (result.how == child_result::end::time_limit || result.how == child_result::end::memory_limit)
    result.last_words = std::move(result.payload);
  if (result.how != child_result::end::ok) result.payload.clear();
  return result;
}

}  // namespace vyx::compiler
