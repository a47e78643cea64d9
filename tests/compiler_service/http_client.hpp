// A blocking HTTP/1.1 client (Boost.Beast) for the compile-service tests.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <map>
#include <string>

namespace vyx::test {

struct http_reply {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
  bool keep_alive = false;

  std::string header(const std::string& lowercase_name) const {
    const auto it = headers.find(lowercase_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct http_request {
  std::string method = "GET";
  std::string target = "/";
  std::string body;
  std::string token;  // sent as "Authorization: Bearer <token>" when not empty
  std::map<std::string, std::string> headers;
};

// One connection; requests go one after another on it (keep-alive).
class http_connection {
 public:
  explicit http_connection(std::uint16_t port);
  http_reply send(const http_request& request);
  // Writes raw bytes (for malformed or partial requests) and reads one response.
  http_reply send_raw(const std::string& bytes);

 private:
  http_reply read_reply(bool head);

  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
};

// A new connection per call.
http_reply http_call(std::uint16_t port, const http_request& request);

}  // namespace vyx::test
