// The runtime's small HTTP server (Boost.Beast): requests answered by a
// handler on the server's own I/O threads. Serves /health, /metrics and the
// machine API for `vyx run`, with limits a hostile client cannot get past:
// header and body sizes (431/413), a deadline per request (a slow or stalled
// client is disconnected, and holds no thread while it stalls), and a cap on
// open connections.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace vyx::runtime {

struct http_request {
  std::string method;                          // "GET", "POST", ...
  std::string target;                          // the path, without the query
  std::string query;                           // after '?', may be empty
  std::string remote;                          // the client's address
  std::map<std::string, std::string> headers;  // names lower-case
  std::string body;
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// An answer that stays open (server-sent events): the session writes what
// take() hands it as it comes, and a heartbeat comment when nothing came for
// a while. The source never waits on the session: it only queues text.
class http_event_source {
 public:
  virtual ~http_event_source() = default;
  // Appends the text waiting to `out`; false once the source dropped this client.
  virtual bool take(std::string& out) = 0;
  // Whether the source dropped this client (looked at while a write is stuck).
  virtual bool dropped() = 0;
  // The connection ended: nothing more is queued for it.
  virtual void close() = 0;
};

struct http_reply {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers = {};  // extra response headers
  // Set (with status 200): the body is this stream until either side ends it;
  // the request deadline no longer applies, each write has one.
  std::shared_ptr<http_event_source> stream = {};
};

// Called on one of the server's I/O threads (concurrently for different connections).
using http_handler = std::function<http_reply(const http_request& request)>;

struct http_limits {
  std::size_t header_bytes = 8 * 1024;  // request line and headers; past it 431
  std::size_t body_bytes = 64 * 1024;   // past it 413
  // From a request's first byte to its last: a client sending byte by byte
  // or never finishing its body is disconnected when it runs out.
  // The same deadline holds for a kept-alive connection's next request.
  std::chrono::milliseconds request_timeout{10000};
  std::size_t max_connections = 256;  // more are closed at once (open streams count too)
  // An open stream with nothing to send gets a comment this often, so proxies keep it open.
  std::chrono::milliseconds stream_heartbeat{15000};
  unsigned threads =
      4;  // handlers that wait (execute-immediate, at most 2) leave others for /health
};

// The defaults, with VYX_HTTP_REQUEST_TIMEOUT_MS, VYX_HTTP_MAX_BODY_BYTES and
// VYX_HTTP_MAX_CONNECTIONS, VYX_HTTP_STREAM_HEARTBEAT_MS when set. Throws std::runtime_error on a bad number.
http_limits http_limits_from_environment();

class http_server {
 public:
  // Binds address:port (port 0 = any free port) and starts serving; throws on bind failure.
  http_server(const std::string& address, std::uint16_t port, http_handler handler,
              http_limits limits = {});
  ~http_server();  // stops and joins the I/O threads
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  std::uint16_t port() const;  // the bound port

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace vyx::runtime
