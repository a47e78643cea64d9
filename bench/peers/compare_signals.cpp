// Signal grids, the peers' verify format, and the disagreement count (see compare_signals.hpp).
#include "compare_signals.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace vyx::bench::peers {
namespace {

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) words.push_back(line.substr(start, i - start));
  }
  return words;
}

bool parse_index(std::string_view text, std::size_t& value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::size_t signal_grid::index_(std::size_t symbol, std::size_t offset) const {
  if (symbol >= symbols_ || offset >= offsets_)
    throw std::out_of_range("signal_grid: symbol " + std::to_string(symbol) + " offset " +
                            std::to_string(offset) + " outside " + std::to_string(symbols_) +
                            " x " + std::to_string(offsets_));
  return offset * symbols_ + symbol;
}

const std::vector<std::uint8_t>* signal_grid::find_(std::string_view trader) const {
  auto it = std::find(traders_.begin(), traders_.end(), trader);
  return it == traders_.end() ? nullptr : &bits_[static_cast<std::size_t>(it - traders_.begin())];
}

void signal_grid::set(std::string_view trader, std::size_t symbol, std::size_t offset, bool value) {
  const std::size_t i = index_(symbol, offset);
  auto it = std::find(traders_.begin(), traders_.end(), trader);
  if (it == traders_.end()) {
    traders_.emplace_back(trader);
    bits_.emplace_back(symbols_ * offsets_, 0);
    it = traders_.end() - 1;
  }
  bits_[static_cast<std::size_t>(it - traders_.begin())][i] = value;
}

bool signal_grid::get(std::string_view trader, std::size_t symbol, std::size_t offset) const {
  const std::size_t i = index_(symbol, offset);
  const auto* bits = find_(trader);
  return bits != nullptr && (*bits)[i] != 0;
}

std::size_t signal_grid::count_true(std::string_view trader) const {
  const auto* bits = find_(trader);
  return bits == nullptr ? 0 : static_cast<std::size_t>(std::count(bits->begin(), bits->end(), 1));
}

std::string signal_grid::verify_line(std::string_view trader) const {
  std::string line(trader);
  line += ' ';
  const auto* bits = find_(trader);
  for (std::size_t i = 0; i < symbols_ * offsets_; ++i)
    line += bits != nullptr && (*bits)[i] ? '1' : '0';
  return line;
}

std::optional<signal_grid> read_verify_file(const std::filesystem::path& path, std::size_t symbols,
                                            std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = path.string() + ": cannot open";
    return std::nullopt;
  }
  if (symbols == 0) {
    error = path.string() + ": the number of symbols must be positive";
    return std::nullopt;
  }
  std::optional<signal_grid> grid;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    const auto words = split_words(line);
    if (words.empty()) continue;
    const std::string where = path.string() + ":" + std::to_string(number) + ": ";
    // A trader that never evaluated leaves an empty bit string.
    const std::string_view bits = words.size() > 1 ? words[1] : std::string_view{};
    if (words.size() > 2 || bits.size() % symbols != 0 ||
        bits.find_first_not_of("01") != std::string_view::npos) {
      error = where + "expected \"<trader> <bits>\" with a multiple of " + std::to_string(symbols) +
              " bits of 0/1";
      return std::nullopt;
    }
    const std::size_t offsets = bits.size() / symbols;
    if (!grid) grid.emplace(symbols, offsets);
    if (offsets != grid->offsets()) {
      error = where + std::to_string(offsets) + " offsets, earlier lines have " +
              std::to_string(grid->offsets());
      return std::nullopt;
    }
    if (grid->has_trader(words[0])) {
      error = where + "trader " + std::string(words[0]) + " listed twice";
      return std::nullopt;
    }
    for (std::size_t i = 0; i < bits.size(); ++i)
      grid->set(words[0], i % symbols, i / symbols, bits[i] == '1');
  }
  if (!grid) {
    error = path.string() + ": no trader lines";
    return std::nullopt;
  }
  return grid;
}

bool write_verify_file(const std::filesystem::path& path, const signal_grid& grid,
                       std::string& error) {
  std::ofstream out(path, std::ios::trunc);
  for (const auto& trader : grid.traders()) out << grid.verify_line(trader) << '\n';
  out.close();
  if (!out) {
    error = path.string() + ": write failed";
    return false;
  }
  return true;
}

std::optional<signal_grid> read_signal_list(const std::filesystem::path& path, std::size_t symbols,
                                            std::size_t offsets,
                                            const std::vector<std::string>& symbol_names,
                                            std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = path.string() + ": cannot open";
    return std::nullopt;
  }
  signal_grid grid(symbols, offsets);
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    const std::string_view text = std::string_view(line).substr(0, line.find('#'));
    const auto words = split_words(text);
    if (words.empty()) continue;
    const std::string where = path.string() + ":" + std::to_string(number) + ": ";
    std::size_t symbol = 0, offset = 0;
    bool symbol_ok = words.size() == 3 && parse_index(words[1], symbol);
    if (words.size() == 3 && !symbol_ok) {
      auto it = std::find(symbol_names.begin(), symbol_names.end(), words[1]);
      symbol_ok = it != symbol_names.end();
      symbol = static_cast<std::size_t>(it - symbol_names.begin());
    }
    if (!symbol_ok || !parse_index(words[2], offset)) {
      error = where + "expected \"<trader> <symbol index or name> <offset>\"";
      return std::nullopt;
    }
    if (symbol >= symbols || offset >= offsets) {
      error = where + "symbol " + std::to_string(symbol) + " or offset " + std::to_string(offset) +
              " outside " + std::to_string(symbols) + " symbols x " + std::to_string(offsets) +
              " offsets";
      return std::nullopt;
    }
    grid.set(words[0], symbol, offset);
  }
  return grid;
}

signal_comparison compare_signals(const signal_grid& ours, const signal_grid& peers,
                                  std::size_t max_listed) {
  if (ours.symbols() != peers.symbols())
    throw std::invalid_argument("compare_signals: ours has " + std::to_string(ours.symbols()) +
                                " symbols, the peers " + std::to_string(peers.symbols()));
  signal_comparison result;
  result.symbols = peers.symbols();
  result.offsets = std::min(ours.offsets(), peers.offsets());
  for (const auto& trader : peers.traders()) {
    trader_agreement a;
    a.trader = trader;
    a.missing_in_ours = !ours.has_trader(trader);
    for (std::size_t offset = 0; offset < result.offsets; ++offset) {
      for (std::size_t symbol = 0; symbol < result.symbols; ++symbol) {
        const bool o = ours.get(trader, symbol, offset), p = peers.get(trader, symbol, offset);
        ++a.cases;
        a.ours_true += o;
        a.peers_true += p;
        if (o == p) {
          ++a.agree;
          continue;
        }
        ++result.disagreements;
        if (result.listed.size() < max_listed)
          result.listed.push_back({trader, symbol, offset, o, p});
      }
    }
    result.traders.push_back(std::move(a));
  }
  return result;
}

std::string format_comparison(const signal_comparison& c,
                              const std::vector<std::string>& symbol_names) {
  std::ostringstream out;
  out << "signals compared with the peers: " << c.symbols << " symbols x " << c.offsets
      << " offsets per trader\n";
  out << "trader  agree/cases      ours  peers  disagree\n";
  for (const auto& a : c.traders) {
    char row[128];
    std::snprintf(row, sizeof row, "%-6s  %6zu/%-6zu  %6zu %6zu  %8zu%s\n", a.trader.c_str(),
                  a.agree, a.cases, a.ours_true, a.peers_true, a.cases - a.agree,
                  a.missing_in_ours ? "  (missing in ours)" : "");
    out << row;
  }
  for (const auto& d : c.listed) {
    out << "  differs: " << d.trader << " symbol " << d.symbol;
    if (d.symbol < symbol_names.size()) out << " (" << symbol_names[d.symbol] << ")";
    out << " offset " << d.offset << ": ours " << d.ours << ", peers " << d.peers << '\n';
  }
  if (c.listed.size() < c.disagreements)
    out << "  ... " << c.disagreements - c.listed.size() << " more\n";
  out << "DISAGREEMENTS {\"symbols\":" << c.symbols << ",\"offsets\":" << c.offsets
      << ",\"total\":" << c.disagreements << ",\"per_trader\":{";
  for (std::size_t i = 0; i < c.traders.size(); ++i) {
    const auto& a = c.traders[i];
    out << (i ? "," : "") << '"' << a.trader << "\":{\"cases\":" << a.cases
        << ",\"disagree\":" << a.cases - a.agree << ",\"ours_true\":" << a.ours_true
        << ",\"peers_true\":" << a.peers_true
        << ",\"missing_in_ours\":" << (a.missing_in_ours ? "true" : "false") << '}';
  }
  out << "}}\n";
  return out.str();
}

}  // namespace vyx::bench::peers
