// A Binance base URL taken apart (scheme, host, port), and the TLS client
// context: verified against the system CA store, or a given CA file (tests).
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <optional>
#include <string>

namespace vyx::runtime::binance {

struct endpoint {
  bool tls = true;
  std::string host;
  std::string port;
  std::string path;  // prefix, without a trailing '/'
};

// "https://api.binance.com", "wss://stream.binance.com:9443", "ws://127.0.0.1:9000".
std::optional<endpoint> parse_endpoint(const std::string& url);

// Peer verification on; `ca_file` empty = the system store. Null with `error` set on failure.
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const std::string& ca_file,
                                                            std::string& error);

}  // namespace vyx::runtime::binance
