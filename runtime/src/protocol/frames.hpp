// The bytes between the pool and a vyx-worker over their socketpair:
// length-prefixed frames of plain fixed-width fields, read back with checks.
// The typed messages built from them are in worker_protocol.hpp.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace vyx::runtime::protocol {

// The first word of every frame's payload (see worker_protocol.hpp).
enum class message : std::uint32_t;

// Frames above this are refused: a worker cannot make the pool allocate
// without bound.
inline constexpr std::uint32_t max_frame = 64u << 20;

// Appends fixed-width values to a byte buffer.
class writer {
 public:
  explicit writer(message type) { put(static_cast<std::uint32_t>(type)); }
  // Empty again, for another message of `type`, keeping the capacity.
  void reset(message type) {
    bytes_.clear();
    put(static_cast<std::uint32_t>(type));
  }
  template <class T>
  void put(const T& v) {
    put_bytes(&v, sizeof(T));
  }
  void put_string(std::string_view s) {
    put(static_cast<std::uint32_t>(s.size()));
    put_bytes(s.data(), s.size());
  }
  void reserve(std::size_t n) { bytes_.reserve(bytes_.size() + n); }
  void put_bytes(const void* p, std::size_t n) {
    if (n == 0) return;
    const std::size_t old = bytes_.size();
    bytes_.resize(old + n);
    std::memcpy(bytes_.data() + old, p, n);
  }
  const std::vector<char>& bytes() const { return bytes_; }
  std::vector<char>& bytes() { return bytes_; }

 private:
  std::vector<char> bytes_;
};

// Reads them back; every get fails (returns false) instead of overrunning.
class reader {
 public:
  reader(const char* data, std::size_t size) : data_(data), size_(size) {}
  template <class T>
  bool get(T& v) {
    if (size_ - pos_ < sizeof(T)) return false;
    std::memcpy(&v, data_ + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool get_string(std::string& s, std::size_t limit = 1 << 16) {
    std::uint32_t n = 0;
    if (!get(n) || n > limit || size_ - pos_ < n) return false;
    s.assign(data_ + pos_, n);
    pos_ += n;
    return true;
  }
  bool get_bytes(void* p, std::size_t n) {
    if (size_ - pos_ < n) return false;
    std::memcpy(p, data_ + pos_, n);
    pos_ += n;
    return true;
  }
  // The next n bytes in place (valid as long as the payload), or nullptr.
  const char* get_view(std::size_t n) {
    if (size_ - pos_ < n) return nullptr;
    const char* p = data_ + pos_;
    pos_ += n;
    return p;
  }
  std::size_t remaining() const { return size_ - pos_; }

 private:
  const char* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// The bytes on the wire: a u32 length, then the payload.
std::vector<char> frame_of(const writer& w);

// Blocking whole-frame I/O on a stream socket. false on EOF or error.
bool send_frame(int fd, const writer& w);
bool receive_frame(int fd, std::vector<char>& payload);

// Non-blocking accumulation for the pool, which waits on many workers at once.
struct frame_buffer {
  std::vector<char> data;
  // Reads what is available; returns false on EOF/error or an oversized frame.
  bool read_some(int fd);
  // Moves one complete frame's payload out, if there is one.
  bool pop(std::vector<char>& payload);
};

}  // namespace vyx::runtime::protocol
