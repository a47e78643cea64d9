// The Landlock ruleset of a sandboxed process (see landlock.hpp).
#include "vyx/common/landlock.hpp"

#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vyx::common {
namespace {

constexpr __u64 read_file = LANDLOCK_ACCESS_FS_READ_FILE;
constexpr __u64 read_tree = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
constexpr __u64 write_tree =
    read_tree | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |
    LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR |
    LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |
    LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM;
constexpr __u64 every_right = write_tree | LANDLOCK_ACCESS_FS_EXECUTE;

landlock_result fail(std::string* error, const char* what) {
  if (error != nullptr) *error = std::string("landlock: ") + what + ": " + std::strerror(errno);
  return landlock_result::failed;
}

// A directory's rule may hold every right; a file's only the file rights
// (the kernel refuses directory rights on a file).
__u64 rights_for(int fd, __u64 wanted) {
  struct stat st {};
  if (fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode))
    return wanted & (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE |
                     LANDLOCK_ACCESS_FS_EXECUTE);
  return wanted;
}

}  // namespace

landlock_result restrict_file_access(const landlock_rules& rules, std::string* error) {
  landlock_ruleset_attr attr{};
  attr.handled_access_fs = every_right;
  const int ruleset = static_cast<int>(syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0));
  if (ruleset < 0)
    return errno == ENOSYS || errno == EOPNOTSUPP ? landlock_result::unsupported
                                                  : fail(error, "create_ruleset");
  const auto allow = [&](const std::string& path, __u64 access) {
    const int fd = open(path.c_str(), O_PATH | O_CLOEXEC);
    if (fd < 0) return;
    landlock_path_beneath_attr beneath{};
    beneath.allowed_access = rights_for(fd, access);
    beneath.parent_fd = fd;
    syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &beneath, 0);
    close(fd);
  };
  for (const auto& file : rules.read_files) allow(file, read_file);
  for (const auto& tree : rules.read_trees) allow(tree, read_tree);
  for (const auto& tree : rules.write_trees) allow(tree, write_tree);
  const long rc = syscall(SYS_landlock_restrict_self, ruleset, 0);
  close(ruleset);
  if (rc != 0) return fail(error, "restrict_self");
  return landlock_result::applied;
}

}  // namespace vyx::common
