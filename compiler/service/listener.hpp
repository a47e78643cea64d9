// Accepts connections of the compile service and starts an http_session for each.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <memory>

namespace vyx::compiler::service {

class service_state;

class listener : public std::enable_shared_from_this<listener> {
 public:
  listener(boost::asio::io_context& io, service_state& state);

  // Binds and listens; on failure `ec` says why and nothing is accepted.
  void open(const boost::asio::ip::tcp::endpoint& endpoint, boost::beast::error_code& ec);
  boost::asio::ip::tcp::endpoint local_endpoint() const;

  void run();
  // Stops accepting; connections already open continue. Any thread.
  void stop();

 private:
  void do_accept();
  void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);
  void fail(boost::beast::error_code ec, const char* what);

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  service_state& state_;
};

}  // namespace vyx::compiler::service
