// URL parsing and the verified TLS client context.
#include "endpoint.hpp"

namespace vyx::runtime::binance {

std::optional<endpoint> parse_endpoint(const std::string& url) {
  endpoint e;
  std::string rest;
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return std::nullopt;
  std::string scheme = url.substr(0, scheme_end);
  if (scheme == "https" || scheme == "wss")
    e.tls = true;
  else if (scheme == "http" || scheme == "ws")
    e.tls = false;
  else
    return std::nullopt;
  rest = url.substr(scheme_end + 3);
  auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  e.path = slash == std::string::npos ? "" : rest.substr(slash);
  while (!e.path.empty() && e.path.back() == '/') e.path.pop_back();
  auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    e.host = authority.substr(0, colon);
    e.port = authority.substr(colon + 1);
  } else {
    e.host = authority;
    e.port = e.tls ? "443" : "80";
  }
  if (e.host.empty() || e.port.empty() ||
      e.port.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return e;
}

std::shared_ptr<boost::asio::ssl::context> make_tls_context(const std::string& ca_file,
                                                            std::string& error) {
  auto ctx = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
  boost::system::error_code ec;
  ctx->set_options(boost::asio::ssl::context::default_workarounds |
                       boost::asio::ssl::context::no_sslv2 | boost::asio::ssl::context::no_sslv3 |
                       boost::asio::ssl::context::no_tlsv1 | boost::asio::ssl::context::no_tlsv1_1,
                   ec);
  if (ca_file.empty())
    ctx->set_default_verify_paths(ec);
  else
    ctx->load_verify_file(ca_file, ec);
  if (!ec) ctx->set_verify_mode(boost::asio::ssl::verify_peer, ec);
  if (ec) {
    error = "TLS context: " + ec.message() + (ca_file.empty() ? "" : " (" + ca_file + ")");
    return nullptr;
  }
  return ctx;
}

}  // namespace vyx::runtime::binance
