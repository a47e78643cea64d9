// One chat-completions exchange: resolve, connect, TLS handshake (SNI and
// host name verified), write, read; every step bounded by one deadline.
#include "vyx/runtime/analysis/provider_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <cstdlib>
#include <optional>
#include <stdexcept>

#include "feeds/binance/endpoint.hpp"
#include "vyx/runtime/screening/trader_signal.hpp"

namespace vyx::runtime {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]" || host == "::1";
}

struct exchange_target {
  std::string host, port, target, authorization;
  const std::string* body;
  std::chrono::steady_clock::time_point deadline;
};

// The same steps over a plain or a TLS stream; the reply says how it ended.
template <class Stream>
asio::awaitable<void> exchange(Stream& stream, const exchange_target& to, provider_reply& reply) {
  beast::error_code ec;
  auto& lowest = beast::get_lowest_layer(stream);
  const auto fail = [&](const char* what) {
    reply.timed_out = ec == beast::error::timeout;
    reply.error = std::string(what) + ": " + (reply.timed_out ? "timed out" : ec.message());
  };
  tcp::resolver resolver(co_await asio::this_coro::executor);
  auto endpoints = co_await resolver.async_resolve(to.host, to.port, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return fail("resolve");
  lowest.expires_at(to.deadline);
  co_await lowest.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return fail("connect");
  if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
    if (!SSL_set_tlsext_host_name(stream.native_handle(), to.host.c_str())) {
      reply.error = "TLS: cannot set the server name";
      co_return;
    }
    stream.set_verify_callback(asio::ssl::host_name_verification(to.host));
    lowest.expires_at(to.deadline);
    co_await stream.async_handshake(asio::ssl::stream_base::client,
                                    asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return fail("TLS handshake");
  }
  http::request<http::string_body> request(http::verb::post, to.target, 11);
  request.set(http::field::host, to.host);
  request.set(http::field::user_agent, "vyx");
  request.set(http::field::authorization, to.authorization);
  request.set(http::field::content_type, "application/json");
  request.body() = *to.body;
  request.prepare_payload();
  lowest.expires_at(to.deadline);
  co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return fail("write");
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(provider_client::body_limit);
  lowest.expires_at(to.deadline);
  co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return fail("read");
  auto& response = parser.get();
  reply.status = response.result_int();
  if (auto it = response.find(http::field::retry_after); it != response.end()) {
    // The seconds form; an HTTP date (rare for APIs) counts as no hint.
    const std::string value(it->value());
    char* end = nullptr;
    const unsigned long seconds = std::strtoul(value.c_str(), &end, 10);
    if (end && *end == '\0' && !value.empty()) reply.retry_after = std::chrono::seconds(std::min(seconds, 3600ul));
  }
  reply.body = std::move(response.body());
  lowest.socket().shutdown(tcp::socket::shutdown_both, ec);
}

}  // namespace

provider_client::provider_client(provider_options options) : options_(std::move(options)) {
  auto where = binance::parse_endpoint(options_.url);
  if (!where) throw std::invalid_argument("OPENROUTER_API_URL is not an http(s) URL");
  if (!where->tls && !is_loopback(where->host))
    throw std::invalid_argument("OPENROUTER_API_URL: plain http is allowed only to a loopback address");
  tls_ = where->tls;
  host_ = where->host;
  port_ = where->port;
  path_ = where->path + "/chat/completions";
  if (tls_) {
    std::string error;
    tls_context_ = binance::make_tls_context(options_.ca_file, error);
    if (!tls_context_) throw std::invalid_argument(error);
  }
}

provider_client::~provider_client() = default;

std::string provider_client::request_body(const std::string& system_prompt,
                                          const std::string& user_prompt) const {
  return "{\"model\":\"" + json_escape(options_.model) + "\",\"temperature\":" +
         json_number(options_.temperature) +
         ",\"response_format\":{\"type\":\"json_object\"},\"messages\":[{\"role\":\"system\","
         "\"content\":\"" + json_escape(system_prompt) + "\"},{\"role\":\"user\",\"content\":\"" +
         json_escape(user_prompt) + "\"}]}";
}

provider_reply provider_client::post(const std::string& body) {
  provider_reply reply;
  asio::io_context io;
  {
    std::lock_guard lock(mutex_);
    if (cancelled_) {
      reply.error = "cancelled";
      return reply;
    }
    in_flight_.insert(&io);
  }
  exchange_target to{host_, port_, path_, "Bearer " + options_.api_key, &body,
                           std::chrono::steady_clock::now() + options_.timeout};
  bool finished = false;
  const auto on_end = [&finished](std::exception_ptr) { finished = true; };
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  if (tls_) {
    secure.emplace(io, *tls_context_);
    asio::co_spawn(io, exchange(*secure, to, reply), on_end);
  } else {
    plain.emplace(io);
    asio::co_spawn(io, exchange(*plain, to, reply), on_end);
  }
  io.run();
  {
    std::lock_guard lock(mutex_);
    in_flight_.erase(&io);
  }
  if (!finished) {
    // Stopped by cancel_all() (perhaps before the exchange began): every
    // later step times out at once and what is pending is aborted, so the
    // exchange unwinds now and nothing outlives the streams it refers to.
    to.deadline = std::chrono::steady_clock::now();
    beast::error_code ignored;
    if (secure) beast::get_lowest_layer(*secure).socket().close(ignored);
    if (plain) plain->socket().close(ignored);
    io.restart();
    io.run();
    reply = provider_reply{};
    reply.error = "cancelled";
  }
  if (reply.status == 0 && reply.error.empty()) reply.error = "cancelled";
  return reply;
}

void provider_client::cancel_all() {
  std::lock_guard lock(mutex_);
  cancelled_ = true;
  for (auto* io : in_flight_) io->stop();
}

}  // namespace vyx::runtime
