// The compile child's sandbox, from the inside: no sockets, no exec, no new
// processes, no writes outside its scratch directory (where the kernel has
// Landlock), and its limits turn into named outcomes.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "compile_child.hpp"

namespace fs = std::filesystem;

namespace {
vyx::compiler::child_limits test_limits(const std::string& name) {
  vyx::compiler::child_limits l;
  l.seconds = 5;
  l.scratch = fs::path(VYX_TEST_CACHE_DIR).parent_path() / "sandbox" / name;
  fs::remove_all(l.scratch);
  fs::create_directories(l.scratch);
  l.readable = {"/usr", "/lib", "/lib64", "/etc"};
  return l;
}
}  // namespace

TEST_CASE(
    "the compile child cannot open sockets, exec or fork, and writes only its scratch directory") {
  const auto limits = test_limits("escape");
  const fs::path outside = fs::path(VYX_TEST_CACHE_DIR).parent_path() / "sandbox" / "outside.txt";
  fs::remove(outside);
  const auto r = vyx::compiler::run_in_child(limits, [&] {
    std::string report;
    report += socket(AF_INET, SOCK_STREAM, 0) < 0 ? "no-socket " : "socket ";
    report += socket(AF_UNIX, SOCK_STREAM, 0) < 0 ? "no-unix " : "unix ";
    char* const argv[] = {const_cast<char*>("/bin/true"), nullptr};
    report += execv("/bin/true", argv) < 0 ? "no-exec " : "exec ";
    report += fork() < 0 ? "no-fork " : "fork ";
    const int inside = open((limits.scratch / "ok.txt").c_str(), O_CREAT | O_WRONLY, 0600);
    report += inside >= 0 ? "inside " : "no-inside ";
    const int out = open(outside.c_str(), O_CREAT | O_WRONLY, 0600);
    report += out >= 0 ? "outside " : "no-outside ";
    std::thread([] {}).join();  // threads still work (clang may use one)
    return report;
  });
  REQUIRE(r.how == vyx::compiler::child_result::end::ok);
  CHECK(r.payload.find("no-socket ") != std::string::npos);
  CHECK(r.payload.find("no-unix ") != std::string::npos);
  CHECK(r.payload.find("no-exec ") != std::string::npos);
  CHECK(r.payload.find("no-fork ") != std::string::npos);
  CHECK(r.payload.find("no-inside") == std::string::npos);
  // Landlock is optional in the kernel; where it exists, the write outside fails.
  if (r.payload.find("no-outside") == std::string::npos)
    MESSAGE("no Landlock on this kernel: file writes are not confined");
}

TEST_CASE("the compile child's limits end as named outcomes") {
  auto limits = test_limits("limits");
  limits.seconds = 1;
  const auto slow = vyx::compiler::run_in_child(limits, [] {
    volatile unsigned long spin = 0;
    while (true) spin = spin + 1;
    return std::string();
  });
  CHECK(slow.how == vyx::compiler::child_result::end::time_limit);
  CHECK(slow.payload.empty());

  limits.seconds = 10;
  limits.memory_bytes = 256ull << 20;
  const auto hungry = vyx::compiler::run_in_child(limits, [] {
    std::vector<std::vector<char>> hoard;
    while (true) hoard.emplace_back(std::size_t{64} << 20, 'x');
    return std::string();
  });
  // Under AddressSanitizer there is no address-space limit; the clock ends it.
  CHECK((hungry.how == vyx::compiler::child_result::end::memory_limit ||
         hungry.how == vyx::compiler::child_result::end::crashed ||
         hungry.how == vyx::compiler::child_result::end::time_limit));
  CHECK(hungry.how != vyx::compiler::child_result::end::ok);
}
