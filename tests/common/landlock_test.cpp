// The Landlock helper of both sandboxes, in a forked child (Landlock is
// irrevocable): what a rule allows works, everything else is refused.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string>

#include "vyx/common/landlock.hpp"

namespace {

namespace fs = std::filesystem;
using vyx::common::landlock_result;
using vyx::common::landlock_rules;
using vyx::common::restrict_file_access;

// Bit i of the child's exit status: check i failed. 0x80: Landlock is not
// in this kernel (nothing to test). 0x40: the helper reported a failure.
int run_confined(const landlock_rules& rules, const fs::path& allowed_file, const fs::path& tree,
                 const fs::path& other) {
  const pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    std::string error;
    const landlock_result r = restrict_file_access(rules, &error);
    if (r == landlock_result::unsupported) _exit(0x80);
    if (r != landlock_result::applied) _exit(0x40);
    int failed = 0;
    const int a = open(allowed_file.c_str(), O_RDONLY);
    if (a < 0)
      failed |= 1;
    else
      close(a);
    const int w = open(allowed_file.c_str(), O_WRONLY);  // read-only file rule
    if (w >= 0 || errno != EACCES) failed |= 2;
    const int c = open((tree / "new.txt").c_str(), O_CREAT | O_WRONLY, 0600);  // write tree
    if (c < 0)
      failed |= 4;
    else
      close(c);
    const int o = open(other.c_str(), O_RDONLY);  // no rule at all
    if (o >= 0 || errno != EACCES) failed |= 8;
    const int e = open("/etc/passwd", O_RDONLY);
    if (e >= 0 || errno != EACCES) failed |= 16;
    _exit(failed);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("landlock: allowed files and trees work, nothing else opens") {
  const fs::path dir = fs::path(VYX_TEST_TMP) / "landlock";
  fs::remove_all(dir);
  fs::create_directories(dir / "tree");
  const fs::path allowed = dir / "allowed.txt", other = dir / "other.txt";
  std::ofstream(allowed) << "yes";
  std::ofstream(other) << "no";

  landlock_rules rules;
  rules.read_files = {allowed.string()};
  rules.write_trees = {(dir / "tree").string()};
  const int result = run_confined(rules, allowed, dir / "tree", other);
  if (result == 0x80) {
    MESSAGE("SKIP: this kernel has no Landlock");
    return;
  }
  CHECK(result == 0);
  CHECK(fs::exists(dir / "tree" / "new.txt"));
}

TEST_CASE("landlock: a path that does not exist gets no rule and does not fail the ruleset") {
  const fs::path dir = fs::path(VYX_TEST_TMP) / "landlock-missing";
  fs::remove_all(dir);
  fs::create_directories(dir / "tree");
  const fs::path allowed = dir / "allowed.txt", other = dir / "other.txt";
  std::ofstream(allowed) << "yes";
  std::ofstream(other) << "no";
  landlock_rules rules;
  rules.read_files = {allowed.string(), (dir / "absent").string()};
  rules.read_trees = {(dir / "absent-tree").string()};
  rules.write_trees = {(dir / "tree").string()};
  const int result = run_confined(rules, allowed, dir / "tree", other);
  if (result == 0x80) return;
  CHECK(result == 0);
}
