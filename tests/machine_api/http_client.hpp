// A small HTTP/1.1 client for the API tests (Boost.Beast, synchronous; the
// one test source that includes Beast is http_client.cpp), and raw sockets
// for the misbehaving clients.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace vyx::test {

struct api_response {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // names lower-case
  std::string body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

api_response http_call(std::uint16_t port, const std::string& method, const std::string& target,
                       const std::vector<std::pair<std::string, std::string>>& headers = {},
                       const std::string& body = {});

// A connected loopback socket (blocking); -1 on failure.
int connect_loopback(std::uint16_t port);
// Whether the server closed `fd` (read returns 0 or an error) within `limit`;
// what it sent before closing goes in `received`.
bool closed_by_peer(int fd, std::chrono::milliseconds limit, std::string& received);

}  // namespace vyx::test

namespace vyx::test {

// A client of a server-sent events stream over a raw socket, read only when
// told to: `receive_buffer` > 0 shrinks its socket's receive buffer before
// connecting, so a client that stops reading fills it soon.
class sse_client {
 public:
  sse_client(std::uint16_t port, const std::string& target,
             const std::vector<std::pair<std::string, std::string>>& headers,
             int receive_buffer = 0);
  ~sse_client();
  sse_client(const sse_client&) = delete;
  sse_client& operator=(const sse_client&) = delete;

  // Reads until done(received()) holds, the server closes or `limit` passes; whether done held.
  template <typename Predicate>
  bool read_until(Predicate done, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done(received_)) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (closed_ || left.count() <= 0) return false;
      read_some(left);
    }
    return true;
  }
  const std::string& received() const { return received_; }
  bool closed() const { return closed_; }
  // The `data:` lines of the complete events received so far.
  std::vector<std::string> events() const;

 private:
  void read_some(std::chrono::milliseconds limit);
  int fd_ = -1;
  std::string received_;
  bool closed_ = false;
};

}  // namespace vyx::test
