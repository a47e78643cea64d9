// Compares our traders' booleans per (trader, symbol, offset) with the peers'
// -verify output, counting the disagreements (ours do not round RSI to 2
// decimals, so a few cases at exact thresholds may differ).
//
// The peers' verify file has one line per trader, "<trader> <bits>", where
// bits[offset * symbols + symbol] is '1' or '0' and offset k means the last k
// bars of every timeframe were dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vyx::bench::peers {

// Booleans per (trader, symbol, offset), all false until set; traders keep
// the order in which they were first named.
class signal_grid {
 public:
  signal_grid(std::size_t symbols, std::size_t offsets) : symbols_(symbols), offsets_(offsets) {}

  std::size_t symbols() const { return symbols_; }
  std::size_t offsets() const { return offsets_; }
  const std::vector<std::string>& traders() const { return traders_; }

  // Adds the trader if new. Throws std::out_of_range for a symbol or offset outside the grid.
  void set(std::string_view trader, std::size_t symbol, std::size_t offset, bool value = true);
  // False for an unknown trader.
  bool get(std::string_view trader, std::size_t symbol, std::size_t offset) const;
  bool has_trader(std::string_view trader) const { return find_(trader) != nullptr; }
  std::size_t count_true(std::string_view trader) const;

  // The peers' verify line for one trader: "<trader> <bits>".
  std::string verify_line(std::string_view trader) const;

 private:
  const std::vector<std::uint8_t>* find_(std::string_view trader) const;
  std::size_t index_(std::size_t symbol, std::size_t offset) const;

  std::size_t symbols_, offsets_;
  std::vector<std::string> traders_;
  std::vector<std::vector<std::uint8_t>> bits_;  // parallel to traders_
};

// Reads a verify file; the number of offsets follows from the line length.
// On a malformed file returns nullopt with `error` naming file and line.
std::optional<signal_grid> read_verify_file(const std::filesystem::path& path, std::size_t symbols,
                                            std::string& error);
bool write_verify_file(const std::filesystem::path& path, const signal_grid& grid,
                       std::string& error);

// Reads our signals as text, one true case per line: "<trader> <symbol> <offset>",
// symbol by index or, given names, by name; '#' starts a comment. Every case not listed is false.
std::optional<signal_grid> read_signal_list(const std::filesystem::path& path, std::size_t symbols,
                                            std::size_t offsets,
                                            const std::vector<std::string>& symbol_names,
                                            std::string& error);

struct disagreement {
  std::string trader;
  std::size_t symbol = 0, offset = 0;
  bool ours = false, peers = false;
};

struct trader_agreement {
  std::string trader;
  std::size_t cases = 0, agree = 0;
  std::size_t ours_true = 0, peers_true = 0;  // within the compared offsets
  bool missing_in_ours = false;  // the peers have the trader, we don't (all counted false)
};

struct signal_comparison {
  std::size_t symbols = 0, offsets = 0;   // offsets compared: 0 .. offsets - 1 of both grids
  std::vector<trader_agreement> traders;  // the peers' traders, in their order
  std::size_t disagreements = 0;          // over every trader
  std::vector<disagreement> listed;       // the first `max_listed`, by trader, offset, symbol
};

// Compares over the peers' traders and the offsets both grids hold. The grids
// must have the same number of symbols (std::invalid_argument otherwise).
signal_comparison compare_signals(const signal_grid& ours, const signal_grid& peers,
                                  std::size_t max_listed = 50);

// A table a person reads, then one line "DISAGREEMENTS <json>" for scripts.
std::string format_comparison(const signal_comparison& comparison,
                              const std::vector<std::string>& symbol_names = {});

}  // namespace vyx::bench::peers
