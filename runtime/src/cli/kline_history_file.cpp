// Resume point and durable appends of a replay CSV.
#include "kline_history_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>
#include <string>

#include "vyx/runtime/feeds/recording_feed.hpp"

namespace vyx::cli {
namespace fs = std::filesystem;

namespace {

// Enough for the last row (about 130 bytes) many times over.
constexpr off_t tail_bytes = 64 * 1024;

std::runtime_error failure(const fs::path& file, const std::string& what) {
  return std::runtime_error(file.string() + ": " + what + ": " + std::strerror(errno));
}

// The open time that starts a row, or empty for a header or anything else.
std::optional<std::int64_t> row_open_time(std::string_view line) {
  std::int64_t open = 0;
  auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), open);
  if (ec != std::errc{} || end == line.data() || end == line.data() + line.size() || *end != ',')
    return std::nullopt;
  return open;
}

}  // namespace

kline_history_file::kline_history_file(const fs::path& file) : file_(file) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec) throw std::runtime_error(file.parent_path().string() + ": " + ec.message());
  fd_ = open(file.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw failure(file, "cannot open");
  struct stat info {};
  if (fstat(fd_, &info) != 0) throw failure(file, "cannot stat");
  const off_t start = info.st_size > tail_bytes ? info.st_size - tail_bytes : 0;
  std::string tail(static_cast<std::size_t>(info.st_size - start), '\0');
  if (!tail.empty() &&
      pread(fd_, tail.data(), tail.size(), start) != static_cast<ssize_t>(tail.size()))
    throw failure(file, "cannot read");
  if (!tail.empty() && tail.back() != '\n') {
    // Interrupted mid-row: keep the whole rows only.
    const auto last_newline = tail.rfind('\n');
    const off_t keep =
        last_newline == std::string::npos ? start : start + static_cast<off_t>(last_newline) + 1;
    if (ftruncate(fd_, keep) != 0) throw failure(file, "cannot cut the torn last line");
    tail.resize(static_cast<std::size_t>(keep - start));
    cut_torn_line_ = true;
  }
  if (!tail.empty()) {
    tail.pop_back();  // the final '\n'
    const auto line_start = tail.rfind('\n');
    last_open_ = row_open_time(
        std::string_view(tail).substr(line_start == std::string::npos ? 0 : line_start + 1));
  }
}

kline_history_file::~kline_history_file() {
  if (fd_ >= 0) close(fd_);
}

void kline_history_file::append(const std::vector<runtime::candle>& rows) {
  if (rows.empty()) return;
  std::string text;
  for (const auto& c : rows) text += runtime::kline_csv_row(c);
  // O_APPEND: every write lands at the end; a kill between writes leaves
  // whole rows, a kill inside one a torn line the next open cuts off.
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = write(fd_, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw failure(file_, "cannot write");
    }
    done += static_cast<std::size_t>(n);
  }
  if (fsync(fd_) != 0) throw failure(file_, "cannot sync");
  last_open_ = rows.back().open_time;
}

}  // namespace vyx::cli
