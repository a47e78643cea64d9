// The runtime's small HTTP server (Boost.Beast): GET routes answered by a
// handler, on its own I/O thread. Serves /health and /metrics for `vyx run`.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace vyx::runtime {

struct http_reply {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

// Called on the server's I/O thread with the request target (e.g. "/health").
using http_handler = std::function<http_reply(const std::string& target)>;

class http_server {
 public:
  // Binds address:port (port 0 = any free port) and starts serving; throws on bind failure.
  http_server(const std::string& address, std::uint16_t port, http_handler handler);
  ~http_server();  // stops and joins the I/O thread
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  std::uint16_t port() const;  // the bound port

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace vyx::runtime
