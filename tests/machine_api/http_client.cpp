#include "http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>

#include <algorithm>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

namespace vyx::test {

api_response http_call(std::uint16_t port, const std::string& method, const std::string& target,
                       const std::vector<std::pair<std::string, std::string>>& headers,
                       const std::string& body) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(90));
  stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> request(http::string_to_verb(method), target, 11);
  request.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(16 << 20);
  if (method == "HEAD") parser.skip(true);
  http::read(stream, buffer, parser);
  beast::error_code ec;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  api_response out;
  const auto& response = parser.get();
  out.status = response.result_int();
  for (const auto& field : response) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(field.value());
  }
  out.body = response.body();
  return out;
}

int connect_loopback(std::uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool closed_by_peer(int fd, std::chrono::milliseconds limit, std::string& received) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buffer[4096];
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) return true;
    received.append(buffer, static_cast<std::size_t>(n));
  }
}

sse_client::sse_client(std::uint16_t port, const std::string& target,
                       const std::vector<std::pair<std::string, std::string>>& headers,
                       int receive_buffer) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    closed_ = true;
    return;
  }
  if (receive_buffer > 0)
    setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    closed_ = true;
    return;
  }
  std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  request += "\r\n";
  if (write(fd_, request.data(), request.size()) != static_cast<ssize_t>(request.size())) closed_ = true;
}

sse_client::~sse_client() {
  if (fd_ >= 0) close(fd_);
}

void sse_client::read_some(std::chrono::milliseconds limit) {
  pollfd p{fd_, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(std::min<long>(limit.count(), 1000))) <= 0) return;
  char buffer[8192];
  const ssize_t n = read(fd_, buffer, sizeof buffer);
  if (n <= 0) {
    closed_ = true;
    return;
  }
  received_.append(buffer, static_cast<std::size_t>(n));
}

std::vector<std::string> sse_client::events() const {
  std::vector<std::string> out;
  std::size_t at = received_.find("\r\n\r\n");  // past the headers
  if (at == std::string::npos) return out;
  at += 4;
  for (;;) {
    const auto end = received_.find("\n\n", at);
    if (end == std::string::npos) break;
    const std::string block = received_.substr(at, end - at);
    at = end + 2;
    for (std::size_t line = 0; line < block.size();) {
      auto next = block.find('\n', line);
      if (next == std::string::npos) next = block.size();
      if (block.compare(line, 6, "data: ") == 0) out.push_back(block.substr(line + 6, next - line - 6));
      line = next + 1;
    }
  }
  return out;
}

}  // namespace vyx::test
