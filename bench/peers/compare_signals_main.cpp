// peer-compare-signals: counts where our traders' booleans differ from the
// peers' -verify output (see compare_signals.hpp for both file formats).
//
//   peer-compare-signals --peers VERIFY_FILE --ours FILE (--symbols S | --dataset DATASET)
//                        [--ours-format verify|list] [--list N] [--max-disagreements N]
//
// Exit status: 0 when compared (and within --max-disagreements), 1 otherwise, 2 on bad usage.
#include <charconv>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>

#include "compare_signals.hpp"
#include "peer_dataset.hpp"

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: peer-compare-signals --peers VERIFY_FILE --ours FILE (--symbols S | "
               "--dataset DATASET)\n"
               "                            [--ours-format verify|list] [--list N] "
               "[--max-disagreements N]\n");
  return 2;
}

bool parse_size(std::string_view text, std::size_t& value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

int fail(const std::string& message) {
  std::fprintf(stderr, "peer-compare-signals: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vyx::bench::peers;
  std::string peers_path, ours_path, dataset_path, ours_format = "verify";
  std::size_t symbols = 0, list = 20, max_disagreements = std::numeric_limits<std::size_t>::max();
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string_view key = argv[i], value = argv[i + 1];
    if (key == "--peers")
      peers_path = value;
    else if (key == "--ours")
      ours_path = value;
    else if (key == "--dataset")
      dataset_path = value;
    else if (key == "--ours-format" && (value == "verify" || value == "list"))
      ours_format = value;
    else if (key == "--symbols" && parse_size(value, symbols))
      continue;
    else if (key == "--list" && parse_size(value, list))
      continue;
    else if (key == "--max-disagreements" && parse_size(value, max_disagreements))
      continue;
    else
      return usage();
  }
  if (argc % 2 == 0 || peers_path.empty() || ours_path.empty() ||
      (symbols == 0) == dataset_path.empty())
    return usage();

  std::string error;
  std::vector<std::string> names;
  if (!dataset_path.empty()) {
    auto data = read_peer_dataset(dataset_path, error);
    if (!data) return fail(error);
    names = data->symbols;
    symbols = names.size();
  }
  auto peers = read_verify_file(peers_path, symbols, error);
  if (!peers) return fail(error);
  auto ours = ours_format == "verify"
                  ? read_verify_file(ours_path, symbols, error)
                  : read_signal_list(ours_path, symbols, peers->offsets(), names, error);
  if (!ours) return fail(error);

  const auto comparison = compare_signals(*ours, *peers, list);
  std::fputs(format_comparison(comparison, names).c_str(), stdout);
  if (comparison.disagreements > max_disagreements)
    return fail(std::to_string(comparison.disagreements) + " disagreements, more than the " +
                std::to_string(max_disagreements) + " allowed");
  return 0;
}
