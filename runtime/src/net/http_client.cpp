// The machine's HTTP client: one exchange is a chain of do_x/on_x steps on a
// private io_context, run to completion by the caller's thread. The deadline
// covers the whole chain; every step checks its error first and ends in fail().
#include "vyx/runtime/net/http_client.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <algorithm>
#include <cctype>
#include <memory>

#include "net/erased_handlers.hpp"

namespace vyx::runtime {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

std::optional<http_url> parse_http_url(std::string_view text, std::string& error) {
  http_url url;
  if (text.starts_with("https://")) {
    url.tls = true;
    text.remove_prefix(8);
  } else if (text.starts_with("http://")) {
    text.remove_prefix(7);
  } else {
    error = "URL must start with http:// or https://";
    return std::nullopt;
  }
  const auto slash = text.find('/');
  std::string_view authority = text.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : text.substr(slash);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (authority.find('@') != std::string_view::npos) {
    error = "URL must not carry credentials (use the token setting)";
    return std::nullopt;
  }
  url.port = url.tls ? "443" : "80";
  if (const auto colon = authority.rfind(':');
      colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
    url.port = std::string(authority.substr(colon + 1));
    authority = authority.substr(0, colon);
    if (url.port.empty() || url.port.size() > 5 ||
        !std::all_of(url.port.begin(), url.port.end(), [](char c) { return std::isdigit(c); }) ||
        std::stoul(url.port) == 0 || std::stoul(url.port) > 65535) {
      error = "URL has a bad port";
      return std::nullopt;
    }
  }
  if (authority.empty()) {
    error = "URL has no host";
    return std::nullopt;
  }
  url.host = std::string(authority);
  url.path = std::string(path);
  return url;
}

bool is_loopback_host(std::string_view host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]";
}

void http_cancellation::cancel() {
  std::lock_guard lock(mutex_);
  cancelled_ = true;
  for (auto& [key, abort] : in_flight_) abort();
}

bool http_cancellation::cancelled() const {
  std::lock_guard lock(mutex_);
  return cancelled_;
}

bool http_cancellation::enter(const void* key, std::function<void()> abort) {
  std::lock_guard lock(mutex_);
  if (cancelled_) return false;
  in_flight_.emplace(key, std::move(abort));
  return true;
}

void http_cancellation::leave(const void* key) {
  std::lock_guard lock(mutex_);
  in_flight_.erase(key);
}

namespace {

// One request/response over `Stream` (a tcp_stream, or an ssl_stream of one).
template <class Stream>
class exchange : public std::enable_shared_from_this<exchange<Stream>> {
 public:
  template <class... Args>
  exchange(net::io_context& io, const http_url& url, const http_client_request& request,
           const http_client_limits& limits, http_client_response& out, Args&&... stream_args)
      : resolver_(io),
        stream_(std::forward<Args>(stream_args)...),
        url_(url),
        limits_(limits),
        out_(out) {
    request_.method(http::string_to_verb(request.method));
    const std::string target = url.path + request.target;
    request_.target(target.empty() ? "/" : target);
    request_.version(11);
    request_.set(http::field::host, url.host);
    request_.set(http::field::user_agent, "vyx");
    request_.set(http::field::connection, "close");
    if (!request.bearer_token.empty())
      request_.set(http::field::authorization, "Bearer " + request.bearer_token);
    if (!request.content_type.empty()) request_.set(http::field::content_type, request.content_type);
    if (request.method == "POST" || !request.body.empty()) {
      request_.body() = request.body;
      request_.prepare_payload();
    }
    parser_.body_limit(limits.body_limit);
    parser_.header_limit(64 * 1024);
    if (request.method == "HEAD") parser_.skip(true);
  }

  void run() { do_resolve(); }

  // On the io_context's thread: ends the exchange with "cancelled".
  void abort() {
    aborted_ = true;
    resolver_.cancel();
    // close() ends the pending operation, whose completion stops its timer.
    // Not expires_never(): it asserts that no connect is in flight (a connect
    // counts as a read and a write at once), which is when a cancellation
    // often comes; a sanitizer build aborted on it.
    lowest().close();
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void do_resolve() {
    lowest().expires_after(limits_.timeout);
    resolver_.async_resolve(url_.host, url_.port,
                            [self = this->shared_from_this()](beast::error_code ec,
                                                              tcp::resolver::results_type found) {
                              self->on_resolve(ec, std::move(found));
                            });
  }
  void on_resolve(beast::error_code ec, tcp::resolver::results_type found) {
    if (aborted_ || ec) return fail(ec, "resolve " + url_.host);
    lowest().async_connect(found, net_handlers::connect([self = this->shared_from_this()](
                                                            beast::error_code connect_ec, tcp::endpoint) {
      self->on_connect(connect_ec);
    }));
  }
  void on_connect(beast::error_code ec) {
    if (aborted_ || ec) return fail(ec, "connect to " + url_.host + ":" + url_.port);
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      do_write();
    } else {
      // SNI, and the certificate must name the host we asked for.
      if (!SSL_set_tlsext_host_name(stream_.native_handle(), url_.host.c_str()))
        return fail(beast::error_code(static_cast<int>(::ERR_get_error()),
                                      net::error::get_ssl_category()),
                    "TLS SNI");
      stream_.set_verify_callback(ssl::host_name_verification(url_.host));
      stream_.async_handshake(ssl::stream_base::client,
                              net_handlers::step([self = this->shared_from_this()](beast::error_code handshake_ec) {
                                self->on_handshake(handshake_ec);
                              }));
    }
  }
  void on_handshake(beast::error_code ec) {
    if (aborted_ || ec) return fail(ec, "TLS handshake with " + url_.host);
    do_write();
  }
  void do_write() {
    http::async_write(stream_, request_,
                      net_handlers::transfer([self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                        self->on_write(ec);
                      }));
  }
  void on_write(beast::error_code ec) {
    if (aborted_ || ec) return fail(ec, "send the request");
    http::async_read(stream_, buffer_, parser_,
                     net_handlers::transfer([self = this->shared_from_this()](beast::error_code read_ec, std::size_t) {
                       self->on_read(read_ec);
                     }));
  }
  void on_read(beast::error_code ec) {
    if (aborted_) return fail(ec, "read the response");
    if (ec == http::error::body_limit)
      return fail(ec, "response larger than " + std::to_string(limits_.body_limit) + " bytes");
    if (ec) return fail(ec, "read the response");
    auto& response = parser_.get();
    out_.status = response.result_int();
    for (const auto& field : response) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      out_.headers[name] = std::string(field.value());
    }
    out_.body = std::move(response.body());
    // The connection is ours alone and closes after one answer: no TLS shutdown
    // round trip is needed (the length was framed by HTTP).
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
  }
  void fail(beast::error_code ec, const std::string& what) {
    if (aborted_) {
      out_.error = "cancelled";
      return;
    }
    out_.timed_out = ec == beast::error::timeout;
    out_.error = what + ": " + (out_.timed_out ? "timed out" : ec.message());
  }

  tcp::resolver resolver_;
  Stream stream_;
  const http_url& url_;
  const http_client_limits& limits_;
  http_client_response& out_;
  http::request<http::string_body> request_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> parser_;
  bool aborted_ = false;
};

// Runs one exchange to its end on `io`, registered with the cancellation if any.
template <class Exchange>
void run_exchange(net::io_context& io, const std::shared_ptr<Exchange>& exchange,
                  http_cancellation* cancellation, http_client_response& out) {
  if (cancellation) {
    const std::weak_ptr<Exchange> weak = exchange;
    const bool entered = cancellation->enter(&io, [&io, weak] {
      net::post(io, [weak] {
        if (auto alive = weak.lock()) alive->abort();
      });
    });
    if (!entered) {
      out.error = "cancelled";
      return;
    }
  }
  exchange->run();
  io.run();
  if (cancellation) cancellation->leave(&io);
}

}  // namespace

http_client_response http_exchange(const http_url& url, const http_client_request& request,
                                   const http_client_limits& limits) {
  http_client_response out;
  const auto verb = http::string_to_verb(request.method);
  if (verb != http::verb::get && verb != http::verb::head && verb != http::verb::post &&
      verb != http::verb::delete_) {
    out.error = "unsupported method " + request.method;
    return out;
  }
  if (url.tls) {
    ssl::context tls(ssl::context::tls_client);
    beast::error_code ec;
    if (limits.ca_file.empty())
      tls.set_default_verify_paths(ec);  // the system CA store (SSL_CERT_FILE / SSL_CERT_DIR honoured)
    else
      tls.load_verify_file(limits.ca_file, ec);
    if (ec) {
      out.error = "TLS: cannot load the CA certificates: " + ec.message();
      return out;
    }
    tls.set_verify_mode(ssl::verify_peer);
    net::io_context io(1);
    run_exchange(io,
                 std::make_shared<exchange<beast::ssl_stream<beast::tcp_stream>>>(io, url, request, limits,
                                                                                  out, io, tls),
                 limits.cancellation, out);
  } else {
    net::io_context io(1);
    run_exchange(io, std::make_shared<exchange<beast::tcp_stream>>(io, url, request, limits, out, io),
                 limits.cancellation, out);
  }
  if (out.error.empty() && out.status == 0) out.error = "no response";
  return out;
}

}  // namespace vyx::runtime
