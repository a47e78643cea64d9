// The test PostgreSQL cluster and PgBouncer: processes started with fork/exec
// (dropping to `postgres` when root), stopped by their own pid or pg_ctl.
#include "pg_cluster.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace vyx::test {
namespace fs = std::filesystem;

namespace {

const fs::path pg_bin = "/usr/lib/postgresql/15/bin";

struct run_as {
  bool drop = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

run_as server_user() {
  run_as who;
  if (geteuid() != 0) return who;
  const passwd* pw = getpwnam("postgres");
  if (!pw) throw std::runtime_error("running as root needs a `postgres` user to run the server as");
  who.drop = true;
  who.uid = pw->pw_uid;
  who.gid = pw->pw_gid;
  return who;
}

fs::path make_owned_temp_dir(const std::string& prefix) {
  std::string pattern = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  run_as who = server_user();
  if (who.drop && chown(pattern.c_str(), who.uid, who.gid) != 0)
    throw std::runtime_error("chown " + pattern + " failed");
  return pattern;
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::uint16_t free_loopback_port() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (fd >= 0) close(fd);
    throw std::runtime_error("no free loopback port");
  }
  close(fd);
  return ntohs(address.sin_port);
}

int run_program(const std::vector<std::string>& argv, const fs::path& log) {
  const run_as who = server_user();
  // Everything the child needs is prepared before fork (the parent has threads).
  std::vector<char*> args;
  std::vector<std::string> copy = argv;
  for (auto& a : copy) args.push_back(a.data());
  args.push_back(nullptr);
  int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return -1;
  if (who.drop && fchown(log_fd, who.uid, who.gid) != 0) {
    close(log_fd);
    return -1;
  }
  pid_t pid = fork();
  if (pid == 0) {
    dup2(log_fd, 1);
    dup2(log_fd, 2);
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, 0);
    if (who.drop && (setgroups(0, nullptr) != 0 || setgid(who.gid) != 0 || setuid(who.uid) != 0))
      _exit(126);
    execv(args[0], args.data());
    _exit(127);
  }
  close(log_fd);
  if (pid < 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

pg_cluster::pg_cluster() {
  dir_ = make_owned_temp_dir("vyx-pg");
  const fs::path log = dir_ / "initdb.log";
  if (run_program({(pg_bin / "initdb").string(), "-D", (dir_ / "data").string(), "-U", "postgres",
                   "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"},
                  log) != 0)
    throw std::runtime_error("initdb failed:\n" + slurp(log));
  // The free port is picked after initdb, just before the server binds it,
  // and picked again if something took it in between (another test's
  // connection can be given the same port by the kernel).
  const fs::path server_log = dir_ / "server.log";
  for (int attempt = 1;; ++attempt) {
    port_ = free_loopback_port();
    const std::size_t logged = slurp(server_log).size();  // earlier attempts' lines
    try {
      start();
      return;
    } catch (const std::runtime_error&) {
      const bool port_taken = slurp(server_log).find("could not bind", logged) != std::string::npos;
      if (attempt == 3 || !port_taken) throw;
    }
  }
}

pg_cluster::~pg_cluster() {
  if (running_) stop("immediate");
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string pg_cluster::url(const std::string& user) const {
  return "postgresql://" + user + "@127.0.0.1:" + std::to_string(port_) + "/postgres";
}

void pg_cluster::start() {
  // fsync off: the tests crash the server, not the machine; the page cache keeps what it wrote.
  const std::string options = "-c port=" + std::to_string(port_) +
                              " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" +
                              dir_.string() + " -c fsync=off -c max_connections=60";
  const fs::path log = dir_ / "server.log";
  if (run_program({(pg_bin / "pg_ctl").string(), "-D", (dir_ / "data").string(), "-l",
                   log.string(), "-w", "-t", "60", "-o", options, "start"},
                  dir_ / "pg_ctl.log") != 0)
    throw std::runtime_error("pg_ctl start failed:\n" + slurp(dir_ / "pg_ctl.log") + slurp(log));
  running_ = true;
}

void pg_cluster::stop(const std::string& mode) {
  run_program({(pg_bin / "pg_ctl").string(), "-D", (dir_ / "data").string(), "-w", "-t", "60",
               "-m", mode, "stop"},
              dir_ / "pg_ctl.log");
  running_ = false;
}

void pg_cluster::exec(const std::string& sql) const {
  pqxx::connection connection(url());
  pqxx::nontransaction work(connection);
  work.exec(sql);
}

void pg_cluster::exec_file(const fs::path& file) const {
  std::string sql = slurp(file);
  if (sql.empty()) throw std::runtime_error("cannot read " + file.string());
  exec(sql);
}

std::string pg_cluster::query_value(const std::string& sql) const {
  pqxx::connection connection(url());
  pqxx::nontransaction work(connection);
  pqxx::result r = work.exec(sql);
  if (r.empty() || r[0][0].is_null()) return "";
  return r[0][0].c_str();
}

std::string pg_cluster::server_log() const {
  return slurp(dir_ / "server.log");
}

pgbouncer::pgbouncer(const pg_cluster& cluster) {
  dir_ = make_owned_temp_dir("vyx-pgbouncer");
  port_ = free_loopback_port();
  // Trust on loopback, as the cluster; pgbouncer still wants the user names listed.
  std::ofstream(dir_ / "userlist.txt") << "\"postgres\" \"\"\n";
  std::ofstream(dir_ / "pgbouncer.ini")
      << "[databases]\n* = host=127.0.0.1 port=" << cluster.port() << "\n"
      << "[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = " << port_ << "\n"
      << "unix_socket_dir =\nauth_type = trust\nauth_file = " << (dir_ / "userlist.txt").string()
      << "\npool_mode = transaction\nmax_client_conn = 200\ndefault_pool_size = 8\n"
      << "ignore_startup_parameters = extra_float_digits,options\n"
      << "logfile = " << (dir_ / "pgbouncer.log").string() << "\n"
      << "pidfile = " << (dir_ / "pgbouncer.pid").string() << "\n";
  if (run_program({"/usr/sbin/pgbouncer", "-d", (dir_ / "pgbouncer.ini").string()},
                  dir_ / "start.log") != 0)
    throw std::runtime_error("pgbouncer did not start:\n" + slurp(dir_ / "start.log") +
                             slurp(dir_ / "pgbouncer.log"));
  // The pid file appears once it listens; then wait until a query goes through.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::string last_error;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string pid_text = slurp(dir_ / "pgbouncer.pid");
    if (!pid_text.empty()) pid_ = static_cast<pid_t>(std::stol(pid_text));
    if (pid_ > 0) {
      try {
        pqxx::connection connection(url());
        pqxx::nontransaction work(connection);
        work.exec("SELECT 1");
        return;
      } catch (const std::exception& e) {
        last_error = e.what();
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling a readiness condition
  }
  throw std::runtime_error("pgbouncer not ready: " + last_error + slurp(dir_ / "pgbouncer.log"));
}

pgbouncer::~pgbouncer() {
  if (pid_ > 0 && kill(pid_, SIGTERM) == 0) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (kill(pid_, 0) == 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (kill(pid_, 0) == 0) kill(pid_, SIGKILL);
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string pgbouncer::url(const std::string& user) const {
  return "postgresql://" + user + "@127.0.0.1:" + std::to_string(port_) + "/postgres";
}

}  // namespace vyx::test
