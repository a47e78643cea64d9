// Runs one piece of compile work in a forked, locked-down child under a wall
// time limit (enforced by the parent), a CPU time limit, an address-space
// limit and a file-size limit. The work's answer comes back through a pipe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace vyx::compiler {

struct child_limits {
  double seconds = 20;
  std::uint64_t memory_bytes = 2ull << 30;
  std::uint64_t file_bytes = 64ull << 20;
  std::filesystem::path scratch;  // the child's working directory, its only writable place
  std::vector<std::filesystem::path>
      readable;  // what else it may read (headers, libraries, the SDK)
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
