// Runs `vyxc serve --port 0 ...` as a child process for a test: waits for the
// "listening on" line on its stdout (no sleeps), and stops it with SIGTERM.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace vyx::test {

struct server_options {
  std::vector<std::string> arguments;  // after "serve --port 0"
  std::map<std::string, std::string>
      env;  // added to (or, if empty value, removed from) the environment
  // The artifact cache to serve from; empty: a fresh temporary one, removed
  // with the server. A given one is left for its owner (several servers can
  // share it, one after the other).
  std::filesystem::path cache_dir;
};

class server_process {
 public:
  // Starts the server; throws if it exits or prints no port within 60 s.
  explicit server_process(const server_options& options);
  ~server_process();
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::filesystem::path& cache_dir() const { return cache_dir_; }

  // SIGTERM, then waits; returns the exit status (-1 if killed by a signal).
  int terminate();

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::uint16_t port_ = 0;
  std::filesystem::path cache_dir_;
  bool owns_cache_dir_ = true;
};

// Runs the server and expects it to exit by itself (e.g. refusing to start):
// returns its exit status and what it wrote on stderr.
struct exit_outcome {
  int status = -1;
  std::string error_output;
};
exit_outcome run_to_exit(const server_options& options);

std::filesystem::path make_temp_dir(const std::string& prefix);

}  // namespace vyx::test
