// Running `vyx` and `vyxc` to completion from the SDK tests.
#pragma once

#include <sys/wait.h>

#include <string>
#include <vector>

#include "child_process.hpp"
#include "temp_dir.hpp"

namespace vyx::test {

struct command_result {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out, err;
};

// Runs argv with stdout in a scratch file of `dir`; the compilers share the
// build tree's cache, so the SDK's precompiled header is built once.
inline command_result run_command(std::vector<std::string> argv, const temp_dir& dir) {
  setenv("XDG_CACHE_HOME", VYX_TEST_CACHE_DIR, 1);
  command_result r;
  const int status = run_to_completion(std::move(argv), dir, r.out, r.err);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace vyx::test
