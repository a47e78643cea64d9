// Whole reads and writes on a file descriptor, retried on EINTR and short
// counts: how the compile child and its parent exchange jobs and answers.
#pragma once

#include <unistd.h>

#include <cerrno>
#include <string>

namespace vyx::compiler {

inline bool write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Appends everything up to end of file to `out`.
inline bool read_all(int fd, std::string& out) {
  char buffer[65536];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace vyx::compiler
