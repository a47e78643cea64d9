// Runs one piece of compile work in a fresh, locked-down child process: the
// parent forks and at once execs the compile-child executable (so the child
// inherits no lock, no thread and no secret of a multi-threaded parent), under
// a CPU time limit, a wall-clock backstop, an address-space limit (and a watch
// on resident memory) and a file-size limit. The job goes in on the child's
// stdin; its answer comes back on file descriptor 3.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace vyx::compiler {

struct child_limits {
  // CPU seconds the work may use. CPU time, not wall time, is the limit: on a
  // loaded machine (or under a sanitizer) a fair compile takes longer by the
  // clock but not by the CPU it burns. The clock only backstops a child that
  // blocks without burning CPU, at wall_seconds().
  double seconds = 20;
  std::uint64_t memory_bytes = 2ull << 30;
  std::uint64_t file_bytes = 64ull << 20;
  std::filesystem::path scratch;  // the child's working directory, its only writable place
  std::vector<std::filesystem::path>
      readable;  // what else it may read (headers, libraries, the SDK)

  double wall_seconds() const { return 3 * seconds + 5; }
};

struct child_result {
  enum class end {
    ok,
    time_limit,
    memory_limit,
    output_limit,
    nesting_limit,  // the child's stack overflowed: the code nests too deeply
    killed,         // a signal from outside (an operator, a supervisor), not a limit of ours
    crashed,
    sandbox_failed
  };
  end how = end::crashed;
  int signal = 0;  // the signal that ended the child, when one did
  std::string payload;  // the work's answer when how == ok
  // When a time or memory limit ended the work: where it was, in LLVM's
  // pretty-stack-trace lines ("<file>:<line>:<col>: current parser token ...").
  std::string last_words;
  double wall_ms = 0;
};

// Parent side: runs `executable` (a program whose main calls serve_child) on `job`.
child_result run_in_child(const child_limits& limits, const std::filesystem::path& executable,
                          const std::string& job);

// Child side, the whole main of a compile-child executable: reads the
// envelope and job from stdin, locks the process down, answers with
// work(job) on fd 3 and exits. Never returns.
[[noreturn]] void serve_child(const std::function<std::string(const std::string& job)>& work);

// "time", "memory", ... for messages.
const char* to_string(child_result::end how);

// How the child's exit status tells the parent why it ended.
namespace child_exit {
constexpr int ok = 0;
constexpr int threw = 3;
constexpr int bad_envelope = 4;
constexpr int sandbox_failed = 5;
constexpr int write_failed = 6;
constexpr int out_of_memory = 7;
constexpr int exec_failed = 8;
constexpr int stack_limit = 9;
constexpr int time_limit = 10;  // the CPU limit's soft signal, taken by the child
}  // namespace child_exit

}  // namespace vyx::compiler
