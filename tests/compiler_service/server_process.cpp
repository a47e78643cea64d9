// Child-process control for the compile-service tests.
#include "server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace vyx::test {
namespace {

constexpr int startup_timeout_ms = 60'000;

std::vector<std::string> build_environment(const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> out;
  for (char** entry = environ; *entry; ++entry) {
    const std::string text = *entry;
    const auto name = text.substr(0, text.find('='));
    if (!overrides.count(name)) out.push_back(text);
  }
  for (const auto& [name, value] : overrides)
    if (!value.empty()) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Spawns the server with stdout (and optionally stderr) into pipes.
pid_t spawn(const server_options& options, const std::filesystem::path& cache_dir, int& stdout_fd,
            int* stderr_fd) {
  std::vector<std::string> args = {VYX_SERVE_EXECUTABLE, "serve", "--port", "0", "--cache",
                                   cache_dir.string()};
  args.insert(args.end(), options.arguments.begin(), options.arguments.end());
  std::vector<std::string> env = build_environment(options.env);
  auto argv = pointers(args);
  auto envp = pointers(env);

  int out_pipe[2];
  int err_pipe[2] = {-1, -1};
  if (pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  if (stderr_fd && pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  if (stderr_fd) posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  if (stderr_fd) close(err_pipe[1]);
  if (rc != 0) throw std::runtime_error(std::string("posix_spawn failed: ") + std::strerror(rc));
  stdout_fd = out_pipe[0];
  if (stderr_fd) *stderr_fd = err_pipe[0];
  return pid;
}

// Reads one line from `fd`, failing after the startup timeout.
bool read_line(int fd, std::string& line) {
  line.clear();
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, startup_timeout_ms) <= 0) return false;
    char c;
    const ssize_t n = read(fd, &c, 1);
    if (n <= 0) return false;
    if (c == '\n') return true;
    line.push_back(c);
  }
}

int wait_status(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

std::filesystem::path make_temp_dir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

server_process::server_process(const server_options& options)
    : cache_dir_(options.cache_dir.empty() ? make_temp_dir("vyxc-serve-test") : options.cache_dir),
      owns_cache_dir_(options.cache_dir.empty()) {
  pid_ = spawn(options, cache_dir_, stdout_fd_, nullptr);
  std::string line;
  constexpr std::string_view marker = "listening on http://";
  while (read_line(stdout_fd_, line)) {
    const auto at = line.find(marker);
    if (at == std::string::npos) continue;
    const auto colon = line.rfind(':');
    port_ = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
    return;
  }
  kill(pid_, SIGKILL);
  wait_status(pid_);
  pid_ = -1;
  throw std::runtime_error("vyxc serve did not print its port");
}

int server_process::terminate() {
  if (pid_ < 0) return -1;
  kill(pid_, SIGTERM);
  const int status = wait_status(pid_);
  pid_ = -1;
  return status;
}

server_process::~server_process() {
  if (pid_ >= 0) {
    kill(pid_, SIGKILL);
    wait_status(pid_);
  }
  if (stdout_fd_ >= 0) close(stdout_fd_);
  std::error_code ignored;
  if (owns_cache_dir_) std::filesystem::remove_all(cache_dir_, ignored);
}

exit_outcome run_to_exit(const server_options& options) {
  const auto cache_dir = make_temp_dir("vyxc-serve-test");
  int stdout_fd = -1;
  int stderr_fd = -1;
  const pid_t pid = spawn(options, cache_dir, stdout_fd, &stderr_fd);
  exit_outcome outcome;
  char buffer[4096];
  ssize_t n;
  for (;;) {
    pollfd p{stderr_fd, POLLIN, 0};
    if (poll(&p, 1, startup_timeout_ms) <= 0) {
      kill(pid, SIGKILL);  // it did not exit by itself: the caller's assertion on status fails
      break;
    }
    if ((n = read(stderr_fd, buffer, sizeof buffer)) <= 0) break;
    outcome.error_output.append(buffer, n);
  }
  close(stderr_fd);
  close(stdout_fd);
  outcome.status = wait_status(pid);
  std::error_code ignored;
  std::filesystem::remove_all(cache_dir, ignored);
  return outcome;
}

}  // namespace vyx::test
