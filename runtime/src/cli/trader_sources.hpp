// Turns what a user points `vyx` at (a built .so, or trader source) into
// trader_specs, compiling source with the compiler library.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vyx/runtime/pool/trader_status.hpp"

namespace vyx::cli {

class trader_sources {
 public:
  // Throws std::runtime_error on a bad compile service setting (VYX_COMPILER_URL
  // without VYX_ARTIFACT_PUBLIC_KEY, a malformed key or URL).
  trader_sources();
  ~trader_sources();
  trader_sources(const trader_sources&) = delete;
  trader_sources& operator=(const trader_sources&) = delete;

  // A trader named by its file stem; .so as is, .cpp or .go compiled
  // (diagnostics printed to stderr), .hash (an artifact hash) fetched. A Go
  // trader NAME.go takes its seriesCode from NAME.series.go beside it, when
  // there is one. With VYX_COMPILER_URL set, sources are compiled by the
  // compile service and every artifact must carry its verified signature
  // (VYX_ARTIFACT_PUBLIC_KEY). Empty on failure, with `error` set.
  std::optional<runtime::trader_spec> resolve(const std::filesystem::path& file,
                                              std::string& error);

  // Every trader in a folder: <id>.so, <id>.cpp, <id>.go or <id>.hash (source wins
  // when both exist; <id>.series.go is <id>'s seriesCode, not a trader); a
  // file <id>.disabled disables that trader. A trader that fails to
  // compile comes back with `unavailable` set to why: the pool keeps its
  // running build, if it had one, and reports the failure. Sorted by id.
  std::vector<runtime::trader_spec> scan(const std::filesystem::path& dir);

  static bool is_trader_file(const std::filesystem::path& file);
  // NAME.series.go: the seriesCode of the Go trader NAME.go.
  static bool is_series_file(const std::filesystem::path& file);

  // The most history any resolved source trader declared (compiler metadata); 0 if none known.
  std::uint32_t max_history_bars() const { return max_history_bars_; }

 private:
  std::optional<runtime::trader_spec> resolve_hash_(const std::filesystem::path& file,
                                                    std::string& error);
  std::optional<runtime::trader_spec> resolve_remote_(const std::filesystem::path& file,
                                                      std::string& error);

  struct impl;
  std::unique_ptr<impl> impl_;
  std::uint32_t max_history_bars_ = 0;
};

}  // namespace vyx::cli
