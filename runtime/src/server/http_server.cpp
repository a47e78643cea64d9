// Beast HTTP server: a listener accepting connections and one session per
// connection reading requests and writing the handler's replies. Every read
// has a deadline and every request size a limit, so a client can neither
// exhaust memory nor hold a connection open by sending slowly.
#include "vyx/runtime/server/http_server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace vyx::runtime {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

void fail(beast::error_code ec, const char* what) {
  if (ec == asio::error::operation_aborted || ec == http::error::end_of_stream ||
      ec == beast::error::timeout)
    return;
  spdlog::debug("http: {}: {}", what, ec.message());
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Counts open connections; a session holds one slot for its lifetime.
class connection_slot {
 public:
  explicit connection_slot(std::atomic<std::size_t>& open) : open_(open) { ++open_; }
  ~connection_slot() { --open_; }
  connection_slot(const connection_slot&) = delete;
  connection_slot& operator=(const connection_slot&) = delete;

 private:
  std::atomic<std::size_t>& open_;
};

class http_session : public std::enable_shared_from_this<http_session> {
 public:
  http_session(tcp::socket socket, const http_handler& handler, const http_limits& limits,
               std::atomic<std::size_t>& open)
      : stream_(std::move(socket)),
        timer_(stream_.get_executor()),
        watch_(stream_.get_executor()),
        handler_(handler),
        limits_(limits),
        slot_(open) {}
  ~http_session() {
    if (source_) source_->close();
  }

  void start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&http_session::do_read, shared_from_this()));
  }

 private:
  void do_read() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(limits_.header_bytes));
    parser_->body_limit(limits_.body_bytes);
    stream_.expires_after(limits_.request_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&http_session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::header_limit)
      return reply_and_close(431, "{\"error\":\"request headers too large\"}");
    if (ec == http::error::body_limit)
      return reply_and_close(413, "{\"error\":\"request body too large\"}");
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        ec == asio::error::eof)
      return close();
    if (ec) {
      fail(ec, "read");
      return reply_and_close(400, "{\"error\":\"malformed request\"}");
    }
    const auto& message = parser_->get();
    http_request request;
    request.method = std::string(message.method_string());
    std::string target(message.target());
    if (auto q = target.find('?'); q != std::string::npos) {
      request.query = target.substr(q + 1);
      target.resize(q);
    }
    request.target = std::move(target);
    beast::error_code endpoint_error;
    auto remote = stream_.socket().remote_endpoint(endpoint_error);
    if (!endpoint_error) request.remote = remote.address().to_string();
    for (const auto& field : message)
      request.headers[lower(field.name_string())] = std::string(field.value());
    request.body = message.body();
    const bool head = message.method() == http::verb::head;
    if (head) request.method = "GET";
    http_reply reply;
    try {
      reply = handler_(request);
    } catch (const std::exception& e) {
      // Logged without the request: the answer names no internals.
      spdlog::error("http: handler failed on {}: {}", request.target, e.what());
      reply = {500, "application/json", "{\"error\":\"internal error\"}"};
    }
    if (reply.stream && reply.status == 200 && !head) return start_stream(std::move(reply));
    stream_.expires_after(limits_.request_timeout);  // the write has a deadline too
    write(std::move(reply), message.version(), message.keep_alive(), head);
  }

  void write(http_reply reply, unsigned version, bool keep_alive, bool head) {
    response_ = {};
    response_.result(reply.status);
    response_.version(version);
    response_.set(http::field::server, "vyx");
    response_.set(http::field::content_type, reply.content_type);
    for (auto& [name, value] : reply.headers) response_.set(name, value);
    response_.keep_alive(keep_alive);
    const std::size_t length = reply.body.size();
    if (!head) response_.body() = std::move(reply.body);
    response_.prepare_payload();
    if (head) response_.content_length(length);
    http::async_write(stream_, response_,
                      beast::bind_front_handler(&http_session::on_write, shared_from_this()));
  }

  void reply_and_close(unsigned status, std::string body) {
    write({status, "application/json", std::move(body)}, 11, false, false);
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return fail(ec, "write");
    if (!response_.keep_alive()) return close();
    do_read();
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  // Server-sent events: headers written by hand (no length: the body ends
  // when the connection does), then whatever the source has, polled on a
  // timer so the publisher never has to reach into this session.
  void start_stream(http_reply reply) {
    source_ = std::move(reply.stream);
    std::string head =
        "HTTP/1.1 200 OK\r\nServer: vyx\r\nContent-Type: text/event-stream\r\n"
        "Cache-Control: no-cache\r\nX-Accel-Buffering: no\r\nConnection: close\r\n";
    for (const auto& [name, value] : reply.headers) head += name + ": " + value + "\r\n";
    head += "\r\n: connected\n\n";
    // A small send buffer: a client that stops reading fills it soon, and
    // then its queue, and is dropped rather than buffered for in the kernel.
    beast::error_code ec;
    stream_.socket().set_option(asio::socket_base::send_buffer_size(16 * 1024), ec);
    write_stream(std::move(head));
  }

  void write_stream(std::string text) {
    out_ = std::move(text);
    stream_.expires_after(limits_.request_timeout);  // each write has a deadline, the stream none
    asio::async_write(stream_, asio::buffer(out_),
                      beast::bind_front_handler(&http_session::on_stream_write, shared_from_this()));
    watch_stuck_write();
  }

  // A client that stops reading leaves our write pending; if the source drops
  // it meanwhile, the connection ends now rather than at the write's deadline.
  void watch_stuck_write() {
    watch_.expires_after(std::chrono::milliseconds(100));
    watch_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;  // the write completed and cancelled the watch
      if (self->source_->dropped()) return self->end_stream();
      self->watch_stuck_write();
    });
  }

  void on_stream_write(beast::error_code ec, std::size_t) {
    watch_.cancel();
    if (ec) return end_stream();
    stream_.expires_never();
    last_write_ = std::chrono::steady_clock::now();
    poll_stream();
  }

  void poll_stream() {
    std::string text;
    if (!source_->take(text)) return end_stream();  // dropped: its queue was full
    if (!text.empty()) return write_stream(std::move(text));
    if (std::chrono::steady_clock::now() - last_write_ >= limits_.stream_heartbeat)
      return write_stream(": heartbeat\n\n");
    timer_.expires_after(std::chrono::milliseconds(50));
    timer_.async_wait(
        beast::bind_front_handler(&http_session::on_stream_timer, shared_from_this()));
  }

  void on_stream_timer(beast::error_code ec) {
    if (ec) return end_stream();
    poll_stream();
  }

  void end_stream() {
    source_->close();
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  asio::steady_timer timer_;  // a stream's next look at its source
  asio::steady_timer watch_;  // a stream's look at its source during a write
  std::shared_ptr<http_event_source> source_;
  std::string out_;  // the stream text being written
  std::chrono::steady_clock::time_point last_write_;
  const http_handler& handler_;
  const http_limits& limits_;
  connection_slot slot_;
};

class listener : public std::enable_shared_from_this<listener> {
 public:
  listener(asio::io_context& io, const http_handler& handler, const http_limits& limits,
           std::atomic<std::size_t>& open_connections)
      : io_(io),
        acceptor_(io),
        handler_(handler),
        limits_(limits),
        open_connections_(open_connections) {}

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
    if (ec) {
      fail(ec, "accept");
    } else if (open_connections_ >= limits_.max_connections) {
      socket.close(ec);  // over the cap: refused at once rather than queued
    } else {
      std::make_shared<http_session>(std::move(socket), handler_, limits_, open_connections_)
          ->start();
    }
    do_accept();
  }

  asio::io_context& io_;
  tcp::acceptor acceptor_;
  const http_handler& handler_;
  const http_limits& limits_;
  std::atomic<std::size_t>& open_connections_;  // the server's: sessions may outlive the listener
};

}  // namespace

http_limits http_limits_from_environment() {
  http_limits limits;
  auto number = [](const char* name, std::size_t fallback, std::size_t low, std::size_t high) {
    const char* text = std::getenv(name);
    if (!text || !*text) return fallback;
    char* end = nullptr;
    const unsigned long long value = std::strtoull(text, &end, 10);
    if (*end != '\0' || *text == '-' || value < low || value > high)
      throw std::runtime_error(std::string(name) + ": a whole number from " + std::to_string(low) +
                               " to " + std::to_string(high));
    return static_cast<std::size_t>(value);
  };
  limits.request_timeout = std::chrono::milliseconds(
      number("VYX_HTTP_REQUEST_TIMEOUT_MS", limits.request_timeout.count(), 100, 600000));
  limits.body_bytes = number("VYX_HTTP_MAX_BODY_BYTES", limits.body_bytes, 0, 16 << 20);
  limits.max_connections = number("VYX_HTTP_MAX_CONNECTIONS", limits.max_connections, 1, 100000);
  limits.stream_heartbeat = std::chrono::milliseconds(
      number("VYX_HTTP_STREAM_HEARTBEAT_MS", limits.stream_heartbeat.count(), 100, 600000));
  return limits;
}

struct http_server::impl {
  http_handler handler;
  http_limits limits;
  // Before io: the sessions io destroys last still count themselves out of it.
  std::atomic<std::size_t> open_connections{0};
  asio::io_context io;
  std::shared_ptr<listener> accept;
  std::vector<std::thread> threads;
};

http_server::http_server(const std::string& address, std::uint16_t port, http_handler handler,
                         http_limits limits)
    : impl_(std::make_unique<impl>()) {
  impl_->handler = std::move(handler);
  impl_->limits = limits;
  beast::error_code ec;
  const asio::ip::address ip = asio::ip::make_address(address, ec);
  if (ec) throw std::runtime_error("http server: bad address '" + address + "': " + ec.message());
  impl_->accept =
      std::make_shared<listener>(impl_->io, impl_->handler, impl_->limits, impl_->open_connections);
  impl_->accept->open(tcp::endpoint(ip, port), ec);
  // The constructor is where `vyx run` learns the port is taken: its one exception.
  if (ec)
    throw std::runtime_error("http server: cannot listen on " + address + ":" +
                             std::to_string(port) + ": " + ec.message());
  impl_->accept->start();
  for (unsigned i = 0; i < std::max(1u, limits.threads); ++i)
    impl_->threads.emplace_back([this] { impl_->io.run(); });
}

http_server::~http_server() {
  impl_->io.stop();
  for (auto& thread : impl_->threads) thread.join();
}

std::uint16_t http_server::port() const {
  return impl_->accept->port();
}

}  // namespace vyx::runtime
