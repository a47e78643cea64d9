// Connection acceptor of the compile service.
#include "listener.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <cstdio>

#include "http_session.hpp"

namespace vyx::compiler::service {

namespace net = boost::asio;
namespace beast = boost::beast;

listener::listener(net::io_context& io, service_state& state)
    : io_(io), acceptor_(net::make_strand(io)), state_(state) {}

void listener::open(const net::ip::tcp::endpoint& endpoint, beast::error_code& ec) {
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return;
  acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) return;
  acceptor_.bind(endpoint, ec);
  if (ec) return;
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
}

net::ip::tcp::endpoint listener::local_endpoint() const {
  beast::error_code ec;
  return acceptor_.local_endpoint(ec);
}

void listener::run() {
  do_accept();
}

void listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ignored;
    self->acceptor_.close(ignored);
  });
}

void listener::do_accept() {
  // Each connection gets its own strand: its handlers never run concurrently.
  acceptor_.async_accept(net::make_strand(io_),
                         beast::bind_front_handler(&listener::on_accept, shared_from_this()));
}

void listener::on_accept(beast::error_code ec, net::ip::tcp::socket socket) {
  if (ec == net::error::operation_aborted) return;  // stop()
  if (ec) {
    fail(ec, "accept");
  } else {
    std::make_shared<http_session>(std::move(socket), state_)->run();
  }
  if (acceptor_.is_open()) do_accept();
}

void listener::fail(beast::error_code ec, const char* what) {
  std::fprintf(stderr, "vyxc serve: %s: %s\n", what, ec.message().c_str());
}

}  // namespace vyx::compiler::service
