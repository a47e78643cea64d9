// One HTTP/1.1 connection of the compile service: reads a request (header
// first, so limits and auth are enforced before any body is read), routes it,
// hands compiles to the worker pool and writes the answer. All steps run on
// the connection's strand.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "compile_json.hpp"
#include "routes.hpp"

namespace vyx::compiler::service {

class service_state;

class http_session : public std::enable_shared_from_this<http_session> {
 public:
  http_session(boost::asio::ip::tcp::socket&& socket, service_state& state);
  ~http_session();

  void run();
  // Shutdown: close now if idle, else after the response in progress. Any thread.
  void stop();

 private:
  using string_response = boost::beast::http::response<boost::beast::http::string_body>;

  void do_read_header();
  void on_read_header(boost::beast::error_code ec, std::size_t bytes);
  void do_write_continue();
  void on_write_continue(boost::beast::error_code ec, std::size_t bytes);
  void do_read_body();
  void on_read_body(boost::beast::error_code ec, std::size_t bytes);

  void handle_request();
  void handle_compile();
  void handle_artifact();
  void do_compile(compile_request request);
  void on_compile(compile_result result, std::string internal_error, double queue_ms);

  // Answers without reading the body (or the rest of it); the connection closes after.
  void answer_early(unsigned status, std::string_view code, std::string message);
  void send_error(unsigned status, std::string_view code, std::string_view message);
  void send_json(unsigned status, std::string body);
  template <class Body>
  void do_write(boost::beast::http::response<Body>&& response);
  template <class Body>
  void do_write_prepared(boost::beast::http::response<Body>&& response);
  void on_write(bool close, boost::beast::error_code ec, std::size_t bytes);

  void do_linger();
  void on_linger(boost::beast::error_code ec, std::size_t bytes);
  void do_close();

  void fail(boost::beast::error_code ec, const char* what);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  service_state& state_;

  std::optional<boost::beast::http::request_parser<boost::beast::http::empty_body>> header_parser_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> body_parser_;
  boost::beast::http::request<boost::beast::http::string_body> request_;
  route route_;
  std::chrono::steady_clock::time_point request_start_;

  // The response in flight, type-erased so string and file bodies share one path.
  std::shared_ptr<void> response_;
  bool busy_ = false;      // between a request's header and its response written
  bool stopping_ = false;  // set by stop(): no further requests on this connection
  bool early_close_ = false;
  std::size_t lingered_bytes_ = 0;
  char linger_buffer_[8192];
};

}  // namespace vyx::compiler::service
