// Frame I/O for the pool <-> worker protocol (see frames.hpp).
#include "protocol/frames.hpp"

#include <cerrno>
#include <unistd.h>

namespace vyx::runtime::protocol {
namespace {

bool write_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    ssize_t k = ::write(fd, p, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    p += k;
    n -= static_cast<std::size_t>(k);
  }
  return true;
}

bool read_all(int fd, char* p, std::size_t n) {
  while (n > 0) {
    ssize_t k = ::read(fd, p, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    p += k;
    n -= static_cast<std::size_t>(k);
  }
  return true;
}

}  // namespace

std::vector<char> frame_of(const writer& w) {
  const auto n = static_cast<std::uint32_t>(w.bytes().size());
  std::vector<char> frame(sizeof n + n);
  std::memcpy(frame.data(), &n, sizeof n);
  if (n > 0) std::memcpy(frame.data() + sizeof n, w.bytes().data(), n);
  return frame;
}

bool send_frame(int fd, const writer& w) {
  // One write for header and payload, unless the payload is large enough
  // that copying it behind the header costs more than a second write.
  constexpr std::size_t copy_limit = 64 * 1024;
  if (w.bytes().size() > copy_limit) {
    const auto n = static_cast<std::uint32_t>(w.bytes().size());
    return write_all(fd, reinterpret_cast<const char*>(&n), sizeof n) &&
           write_all(fd, w.bytes().data(), n);
  }
  const std::vector<char> frame = frame_of(w);
  return write_all(fd, frame.data(), frame.size());
}

bool receive_frame(int fd, std::vector<char>& payload) {
  std::uint32_t n = 0;
  if (!read_all(fd, reinterpret_cast<char*>(&n), sizeof n) || n > max_frame) return false;
  payload.resize(n);
  return read_all(fd, payload.data(), n);
}

bool frame_buffer::read_some(int fd) {
  char chunk[1 << 16];
  for (;;) {
    ssize_t k = ::read(fd, chunk, sizeof chunk);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    if (k <= 0) return false;
    data.insert(data.end(), chunk, chunk + k);
    if (data.size() >= sizeof(std::uint32_t)) {
      std::uint32_t n = 0;
      std::memcpy(&n, data.data(), sizeof n);
      if (n > max_frame) return false;
    }
    if (static_cast<std::size_t>(k) < sizeof chunk) return true;
  }
}

bool frame_buffer::pop(std::vector<char>& payload) {
  if (data.size() < sizeof(std::uint32_t)) return false;
  std::uint32_t n = 0;
  std::memcpy(&n, data.data(), sizeof n);
  if (data.size() < sizeof n + n) return false;
  payload.assign(data.begin() + sizeof n, data.begin() + sizeof n + n);
  data.erase(data.begin(), data.begin() + sizeof n + n);
  return true;
}

}  // namespace vyx::runtime::protocol
