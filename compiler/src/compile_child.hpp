// Runs one piece of compile work in a forked, locked-down child under a CPU
// time limit, a wall-clock backstop (enforced by the parent), an address-space
// limit and a file-size limit. The work's answer comes back through a pipe.
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
  enum class end { ok, time_limit, memory_limit, output_limit, crashed, sandbox_failed };
  end how = end::crashed;
  std::string payload;  // the work's answer when how == ok
  double wall_ms = 0;
};

child_result run_in_child(const child_limits& limits, const std::function<std::string()>& work);

// "time", "memory", ... for messages.
const char* to_string(child_result::end how);

}  // namespace vyx::compiler
