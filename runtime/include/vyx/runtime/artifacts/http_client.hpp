// A small HTTP/1.1 client (Boost.Beast) for the machine's calls to the compile
// service: http:// and https:// (certificates verified against the system's
// CA store), one request per connection, bounded in time and size.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace vyx::runtime {

struct http_url {
  bool tls = false;
  std::string host;
  std::string port;  // "80" / "443" unless given
  std::string path;  // without a trailing '/', "" for the root
};

// http://host[:port][/path] or https://...; nullopt with `error` otherwise.
std::optional<http_url> parse_http_url(std::string_view text, std::string& error);

struct http_client_request {
  std::string method = "GET";  // GET, HEAD, POST or DELETE
  std::string target;          // appended to the URL's path
  std::string body;
  std::string content_type;
  std::string bearer_token;  // "Authorization: Bearer ..." when not empty; never logged
};

struct http_client_limits {
  std::chrono::milliseconds timeout{30000};  // the whole exchange
  std::uint64_t body_limit = 64ull << 20;
};

struct http_client_response {
  std::string error;  // transport failure (resolve, connect, TLS, timeout, too large); else ""
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
