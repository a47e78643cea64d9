#include "jwks_download.hpp"

#include <boost/asio/io_context.hpp>

#include <memory>
#include <stdexcept>

#include "../feeds/binance/rest_client.hpp"

namespace vyx::runtime::api {

std::string download_jwks(const std::string& url, std::chrono::milliseconds timeout) {
  auto where = binance::parse_endpoint(url);
  if (!where) throw std::runtime_error("SUPABASE_JWKS_URL: not an http(s) URL");
  std::string error;
  auto tls = binance::make_tls_context("", error);
  if (!tls) throw std::runtime_error("SUPABASE_JWKS_URL: TLS: " + error);
  boost::asio::io_context io;
  binance::rest_options options;
  options.sessions = 1;
  options.attempts = 2;
  options.timeout = timeout;
  auto client = std::make_shared<binance::rest_client>(io, *where, tls, options);
  binance::rest_response answer;
  bool answered = false;
  client->get(where->path.empty() ? "/" : "", 1, [&](const binance::rest_response& r) {
    answer = r;
    answered = true;
    client->stop();
  });
  io.run_for(timeout * 3);
  client->stop();
  io.restart();
  io.poll();  // runs the stop, which closes the session
  if (!answered) throw std::runtime_error("SUPABASE_JWKS_URL: no answer in time");
  if (answer.status == 0) throw std::runtime_error("SUPABASE_JWKS_URL: " + answer.error);
  if (answer.status != 200)
    throw std::runtime_error("SUPABASE_JWKS_URL: HTTP " + std::to_string(answer.status));
  return answer.body;
}

}  // namespace vyx::runtime::api
