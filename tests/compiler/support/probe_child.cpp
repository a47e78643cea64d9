// A compile child for the sandbox tests: instead of clang it runs probes
// chosen by its job ("escape <outside path>", "spin", "hoard", "echo",
// "fd <n>", "killed", "recurse"), inside the
// same lockdown and limits as the real vyx-compile-child.
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

#include "parent/compile_child.hpp"

namespace {

std::string escape_attempts(const std::string& outside) {
  std::string report;
  report += socket(AF_INET, SOCK_STREAM, 0) < 0 ? "no-socket " : "socket ";
  report += socket(AF_UNIX, SOCK_STREAM, 0) < 0 ? "no-unix " : "unix ";
  char* const argv[] = {const_cast<char*>("/bin/true"), nullptr};
  report += execv("/bin/true", argv) < 0 ? "no-exec " : "exec ";
  report += fork() < 0 ? "no-fork " : "fork ";
  // The working directory is the scratch directory.
  report += open("ok.txt", O_CREAT | O_WRONLY, 0600) >= 0 ? "inside " : "no-inside ";
  report += open(outside.c_str(), O_CREAT | O_WRONLY, 0600) >= 0 ? "outside " : "no-outside ";
  std::thread([] {}).join();  // threads still work (clang may use one)
  return report;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winfinite-recursion"
[[gnu::noinline]] long recurse(long depth) {
  volatile char frame[512];
  frame[depth % 512] = static_cast<char>(depth);
  return recurse(depth + 1) + frame[0];
}
#pragma GCC diagnostic pop

std::string probe(const std::string& job) {
  if (job.rfind("escape ", 0) == 0) return escape_attempts(job.substr(7));
  if (job == "spin") {
    volatile unsigned long spin = 0;
    while (true) spin = spin + 1;
  }
  if (job == "hoard") {
    std::vector<std::vector<char>> hoard;
    while (true) hoard.emplace_back(std::size_t{64} << 20, 'x');
  }
  if (job == "echo") return "echo";
  // Stopped by a signal nobody's limit sent (an operator's kill, a supervisor).
  if (job == "killed") raise(SIGKILL);
  // Recursion without end: the compile stack's guard page.
  if (job == "recurse") return std::to_string(recurse(0));
  if (job.rfind("fd ", 0) == 0)
    return fcntl(std::stoi(job.substr(3)), F_GETFD) < 0 ? "closed" : "open";
  return "unknown probe";
}

}  // namespace

int main() {
  vyx::compiler::serve_child(probe);
}
