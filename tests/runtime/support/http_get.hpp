// A real HTTP/1.1 client (Boost.Beast, synchronous) for the server tests;
// Beast stays in http_get.cpp, a fixture compiled once.
#pragma once

#include <cstdint>
#include <string>

namespace vyx::test {

struct http_response {
  unsigned status = 0;
  std::string content_type;
  std::string body;
};

http_response http_get(std::uint16_t port, const std::string& target);

}  // namespace vyx::test
