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
