// The runtime's one HTTP/1.1 client (Boost.Beast), for every outgoing call
// but the Binance feed's: the compile service and its artifacts, the health
// check, the Supabase JWKS, OpenRouter, the Fly Machines API. http:// and
// https:// (certificates verified against the system's CA store or a given CA
// file), one request per connection on the caller's thread, bounded in time
// and size, and cancellable from another thread (shutdown). Keeping one
// transport keeps one set of Beast/TLS template instances in `vyx`.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace vyx::runtime {

struct http_url {
  bool tls = false;
  std::string host;
  std::string port;  // "80" / "443" unless given
  std::string path;  // without a trailing '/', "" for the root
};

// http://host[:port][/path] or https://...; nullopt with `error` otherwise.
std::optional<http_url> parse_http_url(std::string_view text, std::string& error);

// 127.0.0.1, localhost or ::1: for callers that allow plain http only there (tests).
bool is_loopback_host(std::string_view host);

struct http_client_request {
  std::string method = "GET";  // GET, HEAD, POST or DELETE
  std::string target;          // appended to the URL's path
  std::string body;
  std::string content_type;
  std::string bearer_token;  // "Authorization: Bearer ..." when not empty; never logged
};

// Ends the exchanges that carry it from any thread: those in flight stop at
// once with the error "cancelled", later ones fail before they connect.
class http_cancellation {
 public:
  void cancel();
  bool cancelled() const;

  // For http_exchange: registers an exchange's abort (run on its own thread's
  // io_context); false when already cancelled. leave() before the io_context goes.
  bool enter(const void* key, std::function<void()> abort);
  void leave(const void* key);

 private:
  mutable std::mutex mutex_;
  bool cancelled_ = false;
  std::unordered_map<const void*, std::function<void()>> in_flight_;
};

struct http_client_limits {
  std::chrono::milliseconds timeout{30000};  // the whole exchange
  std::uint64_t body_limit = 64ull << 20;
  std::string ca_file;                         // https: trust only these CAs; "" = the system store
  http_cancellation* cancellation = nullptr;  // optional; must outlive the call
};

struct http_client_response {
  std::string error;  // transport failure (resolve, connect, TLS, timeout, too large, cancelled); else ""
  bool timed_out = false;  // the error is the deadline
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string header(const std::string& lowercase_name) const {
    const auto it = headers.find(lowercase_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

http_client_response http_exchange(const http_url& url, const http_client_request& request,
                                   const http_client_limits& limits = {});

}  // namespace vyx::runtime
