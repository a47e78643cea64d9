// Blocking Beast client used by the compile-service tests.
#include "http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <chrono>

namespace vyx::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

http_connection::http_connection(std::uint16_t port) : stream_(io_) {
  stream_.expires_after(std::chrono::seconds(120));
  stream_.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
}

http_reply http_connection::send(const http_request& request) {
  http::request<http::string_body> message{http::string_to_verb(request.method), request.target,
                                           11};
  message.set(http::field::host, "127.0.0.1");
  if (!request.token.empty()) message.set(http::field::authorization, "Bearer " + request.token);
  for (const auto& [name, value] : request.headers) message.set(name, value);
  message.body() = request.body;
  if (!request.body.empty() || request.method == "POST") message.prepare_payload();
  stream_.expires_after(std::chrono::seconds(120));
  http::write(stream_, message);
  return read_reply(request.method == "HEAD");
}

http_reply http_connection::send_raw(const std::string& bytes) {
  stream_.expires_after(std::chrono::seconds(120));
  net::write(stream_, net::buffer(bytes));
  return read_reply(false);
}

http_reply http_connection::read_reply(bool head) {
  http::response_parser<http::string_body> parser;
  parser.skip(head);  // a HEAD answer announces a body it does not carry
  parser.body_limit(256 << 20);
  http::read(stream_, buffer_, parser);
  auto& response = parser.get();
  http_reply reply;
  reply.status = response.result_int();
  for (const auto& field : response) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    reply.headers[name] = std::string(field.value());
  }
  reply.body = std::move(response.body());
  reply.keep_alive = response.keep_alive();
  return reply;
}

http_reply http_call(std::uint16_t port, const http_request& request) {
  http_connection connection(port);
  return connection.send(request);
}

}  // namespace vyx::test
