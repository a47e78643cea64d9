// Landlock for our sandboxed processes (the compile child and the worker):
// every filesystem right of Landlock ABI 1 is handled, so refused unless a
// rule below allows it. One implementation for both, so the two sandboxes
// cannot drift apart in what "read only" means.
#pragma once

#include <string>
#include <vector>

namespace vyx::common {

struct landlock_rules {
  std::vector<std::string> read_files;   // read these files only
  std::vector<std::string> read_trees;   // read files and list directories beneath these
  std::vector<std::string> write_trees;  // also create, write and remove beneath these
};

enum class landlock_result { applied, unsupported, failed };

// Irrevocable for the calling process and its future children. Needs
// PR_SET_NO_NEW_PRIVS first. A path that cannot be opened gets no rule, so
// any later access to it fails as if it did not exist. `unsupported`: the
// kernel has no Landlock (the caller's seccomp filter still holds);
// `failed`: `error` says which step.
landlock_result restrict_file_access(const landlock_rules& rules, std::string* error);

}  // namespace vyx::common
