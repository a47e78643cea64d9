// Spawning and reaping vyx-worker processes (see worker_process.hpp).
#include "pool/worker_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "protocol/worker_exit.hpp"
#include "sandbox/seccomp_policy.hpp"

extern char** environ;

namespace vyx::runtime {
namespace {

bool set_nonblocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

std::string signal_name(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev != nullptr ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

}  // namespace

std::filesystem::path default_worker_executable() {
  if (const char* env = std::getenv("VYX_WORKER"); env != nullptr && *env) return env;
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto beside = self.parent_path() / "vyx-worker";
    if (std::filesystem::exists(beside, ec)) return beside;
  }
#ifdef VYX_WORKER_BUILD_PATH
  return VYX_WORKER_BUILD_PATH;
#else
  return "vyx-worker";
#endif
}

std::unique_ptr<worker_process> worker_process::spawn(const spawn_config& config,
                                                      std::vector<plugin_info>* plugins,
                                                      worker_death* death) {
  auto w = start(config, death);
  if (!w || !w->await_hello(config, plugins, death)) return nullptr;
  return w;
}

std::unique_ptr<worker_process> worker_process::start(const spawn_config& config,
                                                      worker_death* death) {
  auto fail = [&](std::string reason) -> std::unique_ptr<worker_process> {
    if (death) *death = worker_death{outcome::internal_error, std::move(reason)};
    return nullptr;
  };
  std::unique_ptr<worker_process> w(new worker_process());

  int progress = memfd_create("vyx-progress", MFD_CLOEXEC);
  if (progress < 0 || ftruncate(progress, sizeof(progress_slot)) != 0) {
    if (progress >= 0) close(progress);
    return fail("cannot create a progress slot");
  }
  void* mem = mmap(nullptr, sizeof(progress_slot), PROT_READ | PROT_WRITE, MAP_SHARED, progress, 0);
  if (mem == MAP_FAILED) {
    close(progress);
    return fail("cannot map a progress slot");
  }
  w->slot_ = static_cast<progress_slot*>(mem);
  w->slot_->trapped_syscall.store(-1);

  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    close(progress);
    return fail("socketpair failed");
  }

  // Everything the child needs is prepared before fork: after it, in a
  // multithreaded parent, only async-signal-safe calls are allowed.
  std::vector<std::string> args = {config.executable.string(),
                                   "--store-fd",
                                   "3",
                                   "--control-fd",
                                   "4",
                                   "--progress-fd",
                                   "5",
                                   "--address-space",
                                   std::to_string(config.address_space),
                                   "--cpu-seconds",
                                   std::to_string(config.cpu_seconds),
                                   "--tick-budget-ns",
                                   std::to_string(config.tick_budget_ns),
                                   "--window-budget-ns",
                                   std::to_string(config.window_budget_ns),
                                   "--window-ticks",
                                   std::to_string(config.window_ticks),
                                   "--go-window-bars",
                                   std::to_string(config.go_window_bars)};
  for (const auto& p : config.plugins) {
    args.emplace_back("--plugin");
    args.push_back(p.string());
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = getpid();

  pid_t pid = fork();
  if (pid < 0) {
    close(progress);
    close(pair[0]);
    close(pair[1]);
    return fail("fork failed");
  }
  if (pid == 0) {
    // Die with the pool, even if it is killed.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(static_cast<int>(worker_exit::exec_failed));
    // A worker is a batch job: woken by a tick command it must not preempt
    // the pool's thread, which has the other workers' commands still to send
    // (a preempted sender left a core idle for milliseconds at every tick).
    const sched_param batch{};
    (void)sched_setscheduler(0, SCHED_BATCH, &batch);
    // Move the three fds above the target range first, so dup2 never
    // overwrites one of them; F_DUPFD copies do not carry FD_CLOEXEC.
    int a = fcntl(config.store_fd, F_DUPFD, 10);
    int b = fcntl(pair[1], F_DUPFD, 10);
    int c = fcntl(progress, F_DUPFD, 10);
    if (a < 0 || b < 0 || c < 0 || dup2(a, 3) < 0 || dup2(b, 4) < 0 || dup2(c, 5) < 0)
      _exit(static_cast<int>(worker_exit::descriptors_failed));
    syscall(SYS_close_range, 6u, ~0u, 0u);
    execve(argv[0], argv.data(), environ);
    _exit(static_cast<int>(worker_exit::exec_failed));
  }
  close(pair[1]);
  close(progress);
  w->pid_ = pid;
  w->fd_ = pair[0];
  w->started_ = std::chrono::steady_clock::now();
  set_nonblocking(w->fd_);
  return w;
}

bool worker_process::await_hello(const spawn_config& config, std::vector<plugin_info>* plugins,
                                 worker_death* death) {
  auto fail = [&](std::string reason) {
    if (death) *death = worker_death{outcome::internal_error, std::move(reason)};
    return false;
  };
  // Wait for the hello, or the death, within the load deadline.
  std::vector<char> payload;
  const auto until = started_ + config.load_deadline;
  bool got = false;
  while (!got) {
    if (buffer_.pop(payload)) {
      got = true;
      break;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      worker_death d = kill_and_reap(true, config.load_deadline);
      if (death) *death = d;
      return false;
    }
    pollfd pfd{fd_, POLLIN, 0};
    int rc = poll(&pfd, 1, static_cast<int>(left.count()));
    if (rc < 0 && errno != EINTR) return fail("poll failed");
    if (rc > 0 && !buffer_.read_some(fd_)) {
      if (buffer_.pop(payload)) {
        got = true;
        break;
      }
      worker_death d = reap();
      if (death) *death = d;
      return false;
    }
  }

  std::optional<protocol::hello> hello = protocol::hello::decode(payload);
  if (!hello || hello->plugins.size() != config.plugins.size()) {
    worker_death d = kill_and_reap(false, config.load_deadline);
    d.reason = "bad hello from worker";
    if (death) *death = d;
    return false;
  }
  if (plugins) *plugins = std::move(hello->plugins);
  return true;
}

worker_process::~worker_process() {
  if (pid_ > 0 && !reaped_) {
    (void)!send(protocol::quit());
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (fd_ >= 0) close(fd_);
  if (slot_ != nullptr) munmap(slot_, sizeof(progress_slot));
}

bool worker_process::send(const protocol::writer& w) {
  // The socket is non-blocking for reads; a tick message is small, but wait
  // for room rather than fail if the buffer is momentarily full.
  const std::vector<char> frame = protocol::frame_of(w);
  std::size_t off = 0;
  while (off < frame.size()) {
    ssize_t k = ::send(fd_, frame.data() + off, frame.size() - off, MSG_NOSIGNAL);
    if (k > 0) {
      off += static_cast<std::size_t>(k);
      continue;
    }
    if (k < 0 && errno == EINTR) continue;
    if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd pfd{fd_, POLLOUT, 0};
      if (poll(&pfd, 1, 1000) <= 0) return false;
      continue;
    }
    return false;
  }
  return true;
}

void worker_process::ask_to_quit() {
  if (pid_ > 0 && !reaped_) (void)!send(protocol::quit());
}

void worker_process::kill_without_reaping() {
  if (pid_ > 0 && !reaped_) ::kill(pid_, SIGKILL);  // unreaped: the pid is still ours
}

bool worker_process::try_reap() {
  if (pid_ <= 0 || reaped_) return true;
  int status = 0;
  const pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_ || (r < 0 && errno == ECHILD)) reaped_ = true;
  return reaped_;
}

worker_death worker_process::kill_and_reap(bool timed_out, std::chrono::milliseconds deadline) {
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  return describe(status, timed_out, deadline);
}

worker_death worker_process::reap() {
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  return describe(status, false, std::chrono::milliseconds(0));
}

worker_death worker_process::describe(int status, bool timed_out,
                                      std::chrono::milliseconds deadline) {
  worker_death d;
  d.phase = static_cast<worker_phase>(slot_->phase.load());
  d.trader = slot_->trader.load();
  d.symbol = slot_->symbol.load();
  d.pinned = d.phase == worker_phase::loading || d.phase == worker_phase::evaluating ||
             d.phase == worker_phase::series;
  const std::string when = d.phase == worker_phase::loading ? " while loading" : "";
  if (timed_out) {
    d.what = outcome::timeout;
    d.reason = "deadline " + std::to_string(deadline.count()) + " ms exceeded" + when;
  } else if (WIFEXITED(status) &&
             WEXITSTATUS(status) == static_cast<int>(worker_exit::trapped_syscall)) {
    d.what = outcome::violation;
    d.reason = "seccomp: " + syscall_name(slot_->trapped_syscall.load()) + when;
  } else if (WIFEXITED(status) &&
             WEXITSTATUS(status) == static_cast<int>(worker_exit::out_of_memory)) {
    d.what = outcome::killed;
    d.reason = describe_exit(worker_exit::out_of_memory) + when;
  } else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) {
    d.what = outcome::violation;
    d.reason = "seccomp: syscall outside the allowlist" + when;
  } else if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL)) {
    d.what = outcome::killed;
    d.reason = signal_name(WTERMSIG(status)) + when;
  } else if (WIFSIGNALED(status)) {
    d.what = outcome::signaled;
    d.reason = signal_name(WTERMSIG(status)) + when;
  } else if (WIFEXITED(status)) {
    d.what = outcome::internal_error;
    d.reason = std::string(describe_exit(static_cast<worker_exit>(WEXITSTATUS(status)))) +
               " (exit status " + std::to_string(WEXITSTATUS(status)) + ")" + when;
  }
  return d;
}

}  // namespace vyx::runtime
