// Landlock for the worker's load stage: while dlopen runs (and with it any
// constructor or IFUNC resolver of a plugin), the only files the process can
// open are the plugins themselves. Seccomp must allow read-only opens for
// dlopen; this is what keeps those opens from reaching anything else.
#pragma once

#include <string>
#include <vector>

namespace vyx::runtime {

enum class confinement { applied, unsupported, failed };

// Every filesystem access (read, write, create, remove, execute) is refused
// except reading `files` and reading beneath `trees`. Irrevocable for the
// process. `unsupported`: the kernel has no Landlock (seccomp still holds).
// Needs PR_SET_NO_NEW_PRIVS first.
confinement confine_file_access(const std::vector<std::string>& files,
                                const std::vector<std::string>& trees, std::string* error);

}  // namespace vyx::runtime
