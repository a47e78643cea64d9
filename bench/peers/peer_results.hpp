// Reads what run_peers.sh leaves in its results directory (meta.json and
// peers.jsonl), so a benchmark can print the peers beside our own figures.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vyx::bench::peers {

struct peer_result {
  std::string
      harness;  // "cpp-O2", "go-native", "go-yaegi", "go-yaegi-deployed", "node-1thread", ...
  double evals_per_s = 0;  // one evaluation = one trader on one symbol's full history
  double ns_per_eval = 0;
  double seconds = 0;
  std::uint64_t rounds = 0, evals = 0;
  std::uint64_t peak_rss_kb = 0;
  std::map<std::string, std::uint64_t> matches;  // trader -> true results at offset 0
  std::string command;                           // reproduces this harness alone
};

struct peer_run {
  std::size_t symbols = 0, bars = 0;
  std::uint64_t seed = 0;
  std::filesystem::path dataset;
  std::string date, verify_status;            // "OK", "FAILED" or "skipped"
  std::size_t ref_offsets = 0;                // 0: no reference verify files
  std::filesystem::path reference_rounded;    // verify_ref.txt, absolute; empty without a reference
  std::filesystem::path reference_unrounded;  // verify_ref-unrounded.txt
  std::vector<peer_result> results;           // in the order they ran

  const peer_result* find(const std::string& harness) const;
};

// On failure returns nullopt and sets `error` naming the file and the problem.
std::optional<peer_run> read_peer_run(const std::filesystem::path& results_dir, std::string& error);

}  // namespace vyx::bench::peers
