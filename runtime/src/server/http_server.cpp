// Beast HTTP server: a listener accepting connections and one session per
// connection reading requests and writing the handler's replies.
#include "vyx/runtime/server/http_server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <stdexcept>
#include <thread>

namespace vyx::runtime {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t body_limit = 8 * 1024;  // requests are GETs: a body is a client error
constexpr auto read_timeout = std::chrono::seconds(30);

void fail(beast::error_code ec, const char* what) {
  if (ec == asio::error::operation_aborted || ec == http::error::end_of_stream) return;
  spdlog::debug("http: {}: {}", what, ec.message());
}

class http_session : public std::enable_shared_from_this<http_session> {
 public:
  http_session(tcp::socket socket, const http_handler& handler)
      : stream_(std::move(socket)), handler_(handler) {}

  void start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&http_session::do_read, shared_from_this()));
  }

 private:
  void do_read() {
    parser_.emplace();
    parser_->body_limit(body_limit);
    stream_.expires_after(read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&http_session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return fail(ec, "read");
    const auto& request = parser_->get();
    http_reply reply;
    if (request.method() != http::verb::get && request.method() != http::verb::head) {
      reply = {405, "text/plain; charset=utf-8", "only GET\n"};
    } else {
      std::string target(request.target());
      if (auto q = target.find('?'); q != std::string::npos) target.resize(q);
      reply = handler_(target);
    }
    response_ = {};
    response_.result(reply.status);
    response_.version(request.version());
    response_.set(http::field::server, "vyx");
    response_.set(http::field::content_type, reply.content_type);
    response_.keep_alive(request.keep_alive());
    response_.body() = std::move(reply.body);
    response_.prepare_payload();
    http::async_write(stream_, response_,
                      beast::bind_front_handler(&http_session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return fail(ec, "write");
    if (!response_.keep_alive()) {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      return;
    }
    do_read();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::empty_body>> parser_;
  http::response<http::string_body> response_;
  const http_handler& handler_;
};

class listener : public std::enable_shared_from_this<listener> {
 public:
  listener(asio::io_context& io, const http_handler& handler)
      : io_(io), acceptor_(io), handler_(handler) {}

  // Binds and listens; `ec` says which step failed (as the compile service's listener).
  void open(const tcp::endpoint& endpoint, beast::error_code& ec) {
    acceptor_.open(endpoint.protocol(), ec);
    if (ec) return;
    acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (ec) return;
    acceptor_.bind(endpoint, ec);
    if (ec) return;
    acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  }

  void start() { do_accept(); }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  void do_accept() {
    acceptor_.async_accept(asio::make_strand(io_),
                           beast::bind_front_handler(&listener::on_accept, shared_from_this()));
  }

  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (ec)
      fail(ec, "accept");
    else
      std::make_shared<http_session>(std::move(socket), handler_)->start();
    do_accept();
  }

  asio::io_context& io_;
  tcp::acceptor acceptor_;
  const http_handler& handler_;
};

}  // namespace

struct http_server::impl {
  http_handler handler;
  asio::io_context io{1};
  std::shared_ptr<listener> accept;
  std::thread thread;
};

http_server::http_server(const std::string& address, std::uint16_t port, http_handler handler)
    : impl_(std::make_unique<impl>()) {
  impl_->handler = std::move(handler);
  beast::error_code ec;
  const asio::ip::address ip = asio::ip::make_address(address, ec);
  if (ec) throw std::runtime_error("http server: bad address '" + address + "': " + ec.message());
  impl_->accept = std::make_shared<listener>(impl_->io, impl_->handler);
  impl_->accept->open(tcp::endpoint(ip, port), ec);
  // The constructor is where `vyx run` learns the port is taken: its one exception.
  if (ec)
    throw std::runtime_error("http server: cannot listen on " + address + ":" +
                             std::to_string(port) + ": " + ec.message());
  impl_->accept->start();
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

http_server::~http_server() {
  impl_->io.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::uint16_t http_server::port() const {
  return impl_->accept->port();
}

}  // namespace vyx::runtime
