// vyx-compile-child: the program every compile runs in (see
// compiler/src/compile_child.hpp). Not for people: its job arrives on stdin
// from the compiler library, and its answer leaves on fd 3.
#include "protocol/child_job.hpp"
#include "parent/compile_child.hpp"

int main() {
  vyx::compiler::serve_child(vyx::compiler::run_child_job);
}
