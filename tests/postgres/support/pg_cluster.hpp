// A real PostgreSQL 15 (Debian's binaries) for tests and benchmarks: initdb
// into a temporary folder, served on a free loopback port and a unix socket
// in that folder, torn down at the end. As root (CI) the server runs as the
// unprivileged `postgres` user, since PostgreSQL refuses to run as root.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace vyx::test {

// A free TCP port on 127.0.0.1 (bound, read, released).
std::uint16_t free_loopback_port();

// Runs argv to completion (as `postgres` when we are root); its output goes
// to `log`. Returns the exit status (or -1 when it could not start).
int run_program(const std::vector<std::string>& argv, const std::filesystem::path& log);

class pg_cluster {
 public:
  pg_cluster();  // initdb and start; throws std::runtime_error with the log on failure
  ~pg_cluster();  // immediate stop, folder removed
  pg_cluster(const pg_cluster&) = delete;
  pg_cluster& operator=(const pg_cluster&) = delete;

  std::uint16_t port() const { return port_; }
  const std::filesystem::path& dir() const { return dir_; }
  // postgresql://USER@127.0.0.1:PORT/postgres (trust authentication on loopback).
  std::string url(const std::string& user = "postgres") const;

  void start();
  void stop(const std::string& mode = "fast");  // "immediate" for a crash
  bool running() const { return running_; }

  // Runs SQL (several statements allowed) as the superuser; throws on error.
  void exec(const std::string& sql) const;
  void exec_file(const std::filesystem::path& file) const;
  // The first column of the first row as text ("" when no row).
  std::string query_value(const std::string& sql) const;

  std::string server_log() const;

 private:
  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  bool running_ = false;
};

// PgBouncer in transaction mode in front of a pg_cluster (Supabase's pooler
// on 6543 behaves the same way: no named prepared statements, no session state).
class pgbouncer {
 public:
  explicit pgbouncer(const pg_cluster& cluster);
  ~pgbouncer();
  pgbouncer(const pgbouncer&) = delete;
  pgbouncer& operator=(const pgbouncer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url(const std::string& user = "postgres") const;

 private:
  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace vyx::test
