// Resident memory of this process and its children (the worker processes),
// from /proc/<pid>/smaps_rollup: RSS counts a shared page in every process
// that maps it; PSS divides it among them, so PSS sums to the real total.
#pragma once

#include <string>
#include <vector>

namespace vyx::bench {

struct process_memory {
  int pid = 0;
  std::string name;  // from /proc/<pid>/comm
  long rss_kb = 0, pss_kb = 0;
  long anonymous_kb = 0;  // private heap, stacks, .bss
  long shmem_kb = 0;      // RssShmem: the candle store's memfd pages
  long file_kb = 0;       // RssFile: executables and libraries
};

// This process first, then each child whose name (/proc/<pid>/comm) is
// `child_name` (the workers; not, say, a shell the caller's pipeline forked).
std::vector<process_memory> memory_of_self_and_children(const std::string& child_name);

}  // namespace vyx::bench
