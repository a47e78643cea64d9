// Locks down the compile child before it touches user code: no new
// privileges, no network (a fresh network namespace where the kernel allows
// one, and a seccomp filter that refuses sockets either way), no exec, no new
// processes, no tracing, no namespace or mount games.
#pragma once

namespace vyx::compiler {

// Returns false only when the seccomp filter could not be installed (the
// caller then refuses to compile: the filter is the layer that always holds).
bool lock_down_compile_child();

}  // namespace vyx::compiler
