// The compile child's sandbox, from the inside: no sockets, no exec, no new
// processes, no writes outside its scratch directory (where the kernel has
// Landlock), and its limits turn into named outcomes.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "parent/compile_child.hpp"

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
  const auto r =
      vyx::compiler::run_in_child(limits, VYX_TEST_PROBE_CHILD, "escape " + outside.string());
  REQUIRE(r.how == vyx::compiler::child_result::end::ok);
  CHECK(r.payload.find("no-socket ") != std::string::npos);
  CHECK(r.payload.find("no-unix ") != std::string::npos);
  CHECK(r.payload.find("no-exec ") != std::string::npos);
  CHECK(r.payload.find("no-fork ") != std::string::npos);
  CHECK(r.payload.find("no-inside") == std::string::npos);
  CHECK(fs::exists(limits.scratch / "ok.txt"));
  // Landlock is optional in the kernel; where it exists, the write outside fails.
  if (r.payload.find("no-outside") == std::string::npos)
    MESSAGE("no Landlock on this kernel: file writes are not confined");
  else
    CHECK_FALSE(fs::exists(outside));
}

TEST_CASE("the compile child's limits end as named outcomes") {
  auto limits = test_limits("limits");
  limits.seconds = 1;
  const auto slow = vyx::compiler::run_in_child(limits, VYX_TEST_PROBE_CHILD, "spin");
  CHECK(slow.how == vyx::compiler::child_result::end::time_limit);
  CHECK(slow.payload.empty());

  limits.seconds = 10;
  limits.memory_bytes = 512ull << 20;  // the child maps LLVM (about 200 MB) before its work
  const auto hungry = vyx::compiler::run_in_child(limits, VYX_TEST_PROBE_CHILD, "hoard");
  CHECK(hungry.how == vyx::compiler::child_result::end::memory_limit);
  CHECK(hungry.payload.empty());
}

TEST_CASE("a child that cannot start, or answers, is reported as such") {
  const auto limits = test_limits("start");
  const auto echo = vyx::compiler::run_in_child(limits, VYX_TEST_PROBE_CHILD, "echo");
  CHECK(echo.how == vyx::compiler::child_result::end::ok);
  CHECK(echo.payload == "echo");
  const auto missing =
      vyx::compiler::run_in_child(limits, "/nonexistent/vyx-compile-child", "echo");
  CHECK(missing.how == vyx::compiler::child_result::end::crashed);
  CHECK(missing.payload.empty());
}

TEST_CASE("the parent's file descriptors do not reach the child") {
  // A descriptor the parent holds open without O_CLOEXEC, as a careless
  // library might: the child must not inherit it.
  // (Above the child's own descriptors 0-3.)
  const int null = open("/dev/null", O_RDONLY);
  REQUIRE(null >= 0);
  const int leaked = fcntl(null, F_DUPFD, 100);
  close(null);
  REQUIRE(leaked >= 100);
  const auto limits = test_limits("fds");
  const auto r =
      vyx::compiler::run_in_child(limits, VYX_TEST_PROBE_CHILD, "fd " + std::to_string(leaked));
  close(leaked);
  CHECK(r.how == vyx::compiler::child_result::end::ok);
  CHECK(r.payload == "closed");
}

TEST_CASE("a child killed from outside is reported as killed, not as a limit it did not reach") {
  vyx::compiler::child_limits limits;
  limits.seconds = 20;
  const auto killed = vyx::compiler::run_in_child(limits, VYX_TEST_PROBE_CHILD, "killed");
  CHECK(killed.how == vyx::compiler::child_result::end::killed);
  CHECK(killed.signal == SIGKILL);
  CHECK(std::string(vyx::compiler::to_string(killed.how)) == "killed");
}

TEST_CASE("a stack overflow in the child is the nesting limit, not a crash") {
#if defined(__SANITIZE_ADDRESS__)
  // Under ASan the compile runs on the main thread without the overflow
  // watch (compiler/src/child/child_side.cpp): ASan reports an overflow.
  MESSAGE("not under ASan: the child's large work stack is a Release feature");
  return;
#endif
  vyx::compiler::child_limits limits;
  limits.seconds = 20;
  const auto deep = vyx::compiler::run_in_child(limits, VYX_TEST_PROBE_CHILD, "recurse");
  CHECK(deep.how == vyx::compiler::child_result::end::nesting_limit);
}
