// Runs a command for end-to-end tests: stdout to a file, stderr through a
// pipe that a reader thread collects, so a test can wait for a line.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "temp_dir.hpp"

extern char** environ;

namespace vyx::test {

class child_process {
 public:
  child_process(std::vector<std::string> argv, const std::filesystem::path& stdout_file) {
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[1]);
    if (rc != 0) {
      close(pipe_fds[0]);
      throw std::runtime_error("posix_spawn " + argv[0]);
    }
    reader_ = std::thread([this, fd = pipe_fds[0]] {
      char buffer[4096];
      ssize_t n;
      while ((n = read(fd, buffer, sizeof buffer)) > 0) {
        std::lock_guard lock(mutex_);
        stderr_.append(buffer, static_cast<std::size_t>(n));
        changed_.notify_all();
      }
      close(fd);
      std::lock_guard lock(mutex_);
      closed_ = true;
      changed_.notify_all();
    });
  }

  ~child_process() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      wait_exit();
    }
    if (reader_.joinable()) reader_.join();
  }

  // Waits until stderr contains `needle` (true) or the child closed it / the time ran out (false).
  bool wait_for_stderr(const std::string& needle,
                       std::chrono::seconds limit = std::chrono::seconds(60)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, limit, [&] {
      return stderr_.find(needle) != std::string::npos || closed_;
    }) && stderr_.find(needle) != std::string::npos;
  }

  // Waits for a whole line that starts with `prefix`: the child may write a
  // line in several pieces, so the prefix alone does not mean the line is there.
  bool wait_for_stderr_line(const std::string& prefix,
                            std::chrono::seconds limit = std::chrono::seconds(60)) {
    std::unique_lock lock(mutex_);
    auto has_line = [&] {
      const auto at = stderr_.find(prefix);
      return at != std::string::npos && stderr_.find('\n', at) != std::string::npos;
    };
    return changed_.wait_for(lock, limit, [&] { return has_line() || closed_; }) && has_line();
  }

  // Waits until `done(stderr so far)` holds (true) or the child closed stderr / the time ran out.
  template <typename Predicate>
  bool wait_for_stderr_until(Predicate done,
                             std::chrono::seconds limit = std::chrono::seconds(60)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, limit, [&] { return done(stderr_) || closed_; }) &&
           done(stderr_);
  }

  std::string stderr_text() {
    std::lock_guard lock(mutex_);
    return stderr_;
  }

  void signal(int number) { kill(pid_, number); }

  // The exit status as waitpid reports it.
  int wait_exit() {
    int status = 0;
    waitpid(pid_, &status, 0);
    reaped_ = true;
    if (reader_.joinable()) reader_.join();
    return status;
  }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  std::thread reader_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string stderr_;
  bool closed_ = false;
};

// Runs a command to completion with stdout in a scratch file of `dir`; its
// wait status, with stdout in `out` and stderr in `err`.
inline int run_to_completion(std::vector<std::string> argv, const temp_dir& dir, std::string& out,
                             std::string& err) {
  child_process child(std::move(argv), dir / "stdout.txt");
  const int status = child.wait_exit();
  out = read_file(dir / "stdout.txt");
  err = child.stderr_text();
  return status;
}

}  // namespace vyx::test
