// Locks down the compile child before it touches user code: no new
// privileges, no network (a fresh network namespace where the kernel allows
// one, and a seccomp filter that refuses sockets either way), no exec, no new
// processes, no tracing, no namespace or mount games.
#pragma once

#include <filesystem>
#include <vector>

namespace vyx::compiler {

// Files: where the kernel has Landlock, the child may read only `readable`
// (and below) and write only below `scratch`. Returns false only when the
// seccomp filter could not be installed (the caller then refuses to compile:
// the filter is the layer that always holds).
bool lock_down_compile_child(const std::vector<std::filesystem::path>& readable,
                             const std::filesystem::path& scratch);

}  // namespace vyx::compiler
