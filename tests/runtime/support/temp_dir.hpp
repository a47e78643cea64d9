// A fresh directory per test, removed at the end, plus small file helpers.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace vyx::test {

class temp_dir {
 public:
  temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "vyx-rtd-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// One Binance kline row for a candle of `interval_ms` opening at `open_ms`.
inline std::string kline_row(std::int64_t open_ms, std::int64_t interval_ms, double close,
                             double volume = 1.0) {
  double open = close - 0.5, high = close + 1, low = close - 1;
  return std::to_string(open_ms) + "," + std::to_string(open) + "," + std::to_string(high) + "," +
         std::to_string(low) + "," + std::to_string(close) + "," + std::to_string(volume) + "," +
         std::to_string(open_ms + interval_ms - 1) + "," + std::to_string(volume * close) + ",7," +
         std::to_string(volume / 2) + "," + std::to_string(volume * close / 2) + ",0\n";
}

}  // namespace vyx::test
