// A throw-away PostgreSQL cluster for a test: initdb in a temporary folder,
// Unix socket only (no TCP port to collide on), stopped and removed at the end.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace vyx::test {

class postgres_cluster {
 public:
  postgres_cluster() {
    std::string pattern = (std::filesystem::temp_directory_path() / "vyx-pg-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    // initdb refuses root: as root, the cluster belongs to the postgres user.
    if (geteuid() == 0) {
      as_ = "runuser -u postgres -- ";
      run("chown postgres " + dir_.string());
    }
    const std::string bin = find_bin();
    run(as_ + bin + "/initdb --no-sync -A trust -U postgres -D " + (dir_ / "data").string() +
        " > " + (dir_ / "initdb.log").string() + " 2>&1");
    run(as_ + bin + "/pg_ctl -w -D " + (dir_ / "data").string() + " -l " +
        (dir_ / "server.log").string() + " -o \"-k " + dir_.string() +
        " -c listen_addresses='' -p 5433 -c fsync=off\" start > /dev/null");
    started_ = bin;
  }
  ~postgres_cluster() {
    if (!started_.empty())
      std::system((as_ + started_ + "/pg_ctl -D " + (dir_ / "data").string() +
                   " -m immediate stop > /dev/null 2>&1")
                      .c_str());
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  postgres_cluster(const postgres_cluster&) = delete;
  postgres_cluster& operator=(const postgres_cluster&) = delete;

  std::string url() const {
    return "postgresql:///postgres?host=" + dir_.string() + "&port=5433&user=postgres";
  }

 private:
  static std::string find_bin() {
    for (const char* v : {"17", "16", "15", "14", "13"}) {
      const std::string bin = std::string("/usr/lib/postgresql/") + v + "/bin";
      if (std::filesystem::exists(bin + "/initdb")) return bin;
    }
    throw std::runtime_error("no PostgreSQL server (initdb) installed");
  }
  static void run(const std::string& command) {
    if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
  }

  std::filesystem::path dir_;
  std::string as_, started_;
};

}  // namespace vyx::test
