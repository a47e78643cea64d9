// peer-dataset-to-csv: converts the peers' binary dataset into the replay
// feed's CSV layout, so `vyx backtest --data DIR` and `vyx run --replay DIR`
// screen the same candles as the peers' harnesses.
//
//   peer-dataset-to-csv DATASET OUT_DIR [--symbols N] [--no-header]
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string>
#include <string_view>

#include "peer_dataset.hpp"
#include "replay_csv.hpp"

namespace {

int usage() {
  std::fprintf(stderr, "usage: peer-dataset-to-csv DATASET OUT_DIR [--symbols N] [--no-header]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vyx::bench::peers;
  std::string dataset_path, out_dir;
  replay_csv_options options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--no-header") {
      options.header = false;
    } else if (arg == "--symbols" && i + 1 < argc) {
      std::string_view n = argv[++i];
      auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), options.max_symbols);
      if (ec != std::errc() || end != n.data() + n.size()) return usage();
    } else if (!arg.starts_with("--") && dataset_path.empty()) {
      dataset_path = arg;
    } else if (!arg.starts_with("--") && out_dir.empty()) {
      out_dir = arg;
    } else {
      return usage();
    }
  }
  if (dataset_path.empty() || out_dir.empty()) return usage();

  std::string error;
  auto data = read_peer_dataset(dataset_path, error);
  if (!data) {
    std::fprintf(stderr, "peer-dataset-to-csv: %s\n", error.c_str());
    return 1;
  }
  if (!write_replay_csv(*data, out_dir, options, error)) {
    std::fprintf(stderr, "peer-dataset-to-csv: %s\n", error.c_str());
    return 1;
  }
  std::size_t symbols = options.max_symbols ? std::min(options.max_symbols, data->symbols.size())
                                            : data->symbols.size();
  std::printf("wrote %s: %zu symbols x %zu timeframes x %zu bars (seed %llu)\n", out_dir.c_str(),
              symbols, data->timeframes.size(), data->bars,
              static_cast<unsigned long long>(data->seed));
  return 0;
}
