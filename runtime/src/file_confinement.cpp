// Landlock ruleset of the worker's load stage (see file_confinement.hpp).
#include "file_confinement.hpp"

#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vyx::runtime {
namespace {

// The rights of Landlock ABI 1, every one of them handled (so refused unless a rule allows it).
constexpr __u64 read_file = LANDLOCK_ACCESS_FS_READ_FILE;
constexpr __u64 read_tree = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
constexpr __u64 every_right =
    LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |
    LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
    LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
    LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
    LANDLOCK_ACCESS_FS_MAKE_SYM;

confinement fail(std::string* error, const std::string& what) {
  if (error) *error = "landlock: " + what + ": " + std::strerror(errno);
  return confinement::failed;
}

}  // namespace

confinement confine_file_access(const std::vector<std::string>& files,
                                const std::vector<std::string>& trees, std::string* error) {
  landlock_ruleset_attr attr{};
  attr.handled_access_fs = every_right;
  const int ruleset = static_cast<int>(syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0));
  if (ruleset < 0)
    return errno == ENOSYS || errno == EOPNOTSUPP ? confinement::unsupported
                                                  : fail(error, "create_ruleset");
  const auto allow = [&](const std::string& path, __u64 access) {
    const int fd = open(path.c_str(), O_PATH | O_CLOEXEC);
    if (fd < 0) return false;
    landlock_path_beneath_attr beneath{};
    beneath.allowed_access = access;
    beneath.parent_fd = fd;
    const long rc =
        syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &beneath, 0);
    close(fd);
    return rc == 0;
  };
  // A path that cannot be opened gets no rule: its dlopen then fails and the
  // plugin is refused with that error, as without Landlock.
  for (const auto& file : files) allow(file, read_file);
  for (const auto& tree : trees) allow(tree, read_tree);
  const long rc = syscall(SYS_landlock_restrict_self, ruleset, 0);
  close(ruleset);
  if (rc != 0) return fail(error, "restrict_self");
  return confinement::applied;
}

}  // namespace vyx::runtime
