// /proc readers for process_memory.hpp.
#include "process_memory.hpp"

#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace vyx::bench {
namespace {

process_memory read_one(int pid) {
  process_memory m;
  m.pid = pid;
  const std::string dir = "/proc/" + std::to_string(pid);
  std::ifstream comm(dir + "/comm");
  std::getline(comm, m.name);
  std::ifstream st(dir + "/smaps_rollup");
  std::string line;
  long v = 0;
  while (std::getline(st, line)) {
    if (std::sscanf(line.c_str(), "Rss: %ld", &v) == 1)
      m.rss_kb = v;
    else if (std::sscanf(line.c_str(), "Pss: %ld", &v) == 1)
      m.pss_kb = v;
    else if (std::sscanf(line.c_str(), "Anonymous: %ld", &v) == 1)
      m.anonymous_kb = v;
  }
  std::ifstream status(dir + "/status");
  while (std::getline(status, line)) {
    if (std::sscanf(line.c_str(), "RssShmem: %ld", &v) == 1)
      m.shmem_kb = v;
    else if (std::sscanf(line.c_str(), "RssFile: %ld", &v) == 1)
      m.file_kb = v;
  }
  return m;
}

int parent_of(const char* pid) {
  std::ifstream st(std::string("/proc/") + pid + "/stat");
  std::string line;
  std::getline(st, line);
  const auto close = line.rfind(')');
  if (close == std::string::npos) return -1;
  char state = 0;
  int ppid = -1;
  if (std::sscanf(line.c_str() + close + 1, " %c %d", &state, &ppid) != 2) return -1;
  return ppid;
}

}  // namespace

std::vector<process_memory> memory_of_self_and_children(const std::string& child_name) {
  const int self = static_cast<int>(getpid());
  std::vector<process_memory> out{read_one(self)};
  if (DIR* dir = opendir("/proc")) {
    while (dirent* e = readdir(dir)) {
      if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
      if (parent_of(e->d_name) != self) continue;
      process_memory m = read_one(std::atoi(e->d_name));
      if (m.name == child_name) out.push_back(m);
    }
    closedir(dir);
  }
  return out;
}

}  // namespace vyx::bench
