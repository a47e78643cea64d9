// Turns what a user points `vyx` at (a built .so, or trader source) into
// trader_specs, compiling source with the compiler library.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "vyx/runtime/worker_pool.hpp"

namespace vyx::cli {

class trader_sources {
 public:
  trader_sources();
  ~trader_sources();
  trader_sources(const trader_sources&) = delete;
  trader_sources& operator=(const trader_sources&) = delete;

  // A trader named by its file stem; .so as is, .cpp compiled (diagnostics
  // printed to stderr), .hash (an artifact hash) fetched. With
  // VYX_COMPILER_URL set, sources are compiled by the compile service and
  // every fetched artifact must carry its verified signature. Empty on
  // failure, with `error` set.
  std::optional<runtime::trader_spec> resolve(const std::filesystem::path& file,
                                              std::string& error);

  // Every trader in a folder: <id>.so or <id>.cpp (source wins when both
  // exist); a file <id>.disabled disables that trader. A trader that fails to
  // compile keeps its last good build, if it had one. Sorted by id.
  std::vector<runtime::trader_spec> scan(const std::filesystem::path& dir);

  static bool is_trader_file(const std::filesystem::path& file);

  // The most history any resolved source trader declared (compiler metadata); 0 if none known.
  std::uint32_t max_history_bars() const { return max_history_bars_; }

  // Traders of the last scan that could not be resolved (refused artifact,
  // compile error...), id to reason, for their status.
  const std::map<std::string, std::string>& refusals() const { return refusals_; }

 private:
  struct impl;
  impl* impl_;
  std::map<std::string, std::filesystem::path> last_good_;
  std::map<std::string, std::string> refusals_;
  std::uint32_t max_history_bars_ = 0;
};

}  // namespace vyx::cli
