// The scripted Machines API mock (see mock_machines_api.hpp): one blocking
// thread, one request per connection (the client sends Connection: close).
#include "mock_machines_api.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace vyx::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

mock_machines_api::mock_machines_api(std::string token)
    : token_(std::move(token)), acceptor_(io_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)) {
  port_ = acceptor_.local_endpoint().port();
  thread_ = std::thread([this] { serve(); });
}

mock_machines_api::~mock_machines_api() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  // Wakes the blocking accept.
  beast::error_code ignored;
  tcp::socket poke(io_);
  poke.connect({net::ip::make_address("127.0.0.1"), port_}, ignored);
  thread_.join();
}

void mock_machines_api::expect(expected_call call) {
  std::lock_guard lock(mutex_);
  script_.push_back(std::move(call));
}

std::vector<std::string> mock_machines_api::problems() {
  std::lock_guard lock(mutex_);
  auto out = problems_;
  for (const auto& left : script_) out.push_back("never called: " + left.method + " " + left.target);
  return out;
}

std::vector<std::string> mock_machines_api::bodies() {
  std::lock_guard lock(mutex_);
  return bodies_;
}

void mock_machines_api::serve() {
  for (;;) {
    tcp::socket socket(io_);
    beast::error_code ec;
    acceptor_.accept(socket, ec);
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    if (!ec) answer(socket);
  }
}

void mock_machines_api::answer(tcp::socket& socket) {
  beast::flat_buffer buffer;
  http::request<http::string_body> request;
  beast::error_code ec;
  http::read(socket, buffer, request, ec);
  if (ec) return;
  const std::string method(request.method_string());
  const std::string target(request.target());
  http::response<http::string_body> response{http::status::not_found, 11};
  response.set(http::field::content_type, "application/json");
  {
    std::lock_guard lock(mutex_);
    auto problem = [&](const std::string& what) {
      problems_.push_back(method + " " + target + ": " + what);
    };
    bodies_.push_back(request.body());
    if (request[http::field::authorization] != "Bearer " + token_)
      problem("wrong or missing Authorization header");
    if (request[http::field::host].empty()) problem("no Host header");
    if (script_.empty()) {
      problem("not expected (script exhausted)");
      response.body() = "{\"error\":\"unexpected\"}";
    } else {
      expected_call call = std::move(script_.front());
      script_.pop_front();
      if (call.method != method || call.target != target)
        problem("expected " + call.method + " " + call.target);
      if (call.check_body) {
        if (request[http::field::content_type] != "application/json")
          problem("Content-Type is not application/json");
        simdjson::dom::parser parser;
        simdjson::dom::element root;
        if (parser.parse(request.body()).get(root)) {
          problem("body is not JSON");
        } else if (auto wrong = call.check_body(root); !wrong.empty()) {
          problem(wrong);
        }
      } else if (!request.body().empty()) {
        problem("unexpected body");
      }
      response.result(call.status);
      response.body() = call.response;
    }
  }
  response.prepare_payload();
  http::write(socket, response, ec);
  socket.shutdown(tcp::socket::shutdown_both, ec);
}

}  // namespace vyx::test
