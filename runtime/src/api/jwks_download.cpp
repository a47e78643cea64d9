#include "jwks_download.hpp"

#include <stdexcept>

#include "vyx/runtime/net/http_client.hpp"

namespace vyx::runtime::api {

std::string download_jwks(const std::string& url, std::chrono::milliseconds timeout) {
  std::string error;
  const auto where = parse_http_url(url, error);
  if (!where) throw std::runtime_error("SUPABASE_JWKS_URL: " + error);
  // Keys fetched in clear text could be anyone's: plain http only for loopback tests.
  if (!where->tls && !is_loopback_host(where->host))
    throw std::runtime_error("SUPABASE_JWKS_URL: plain http is allowed only to a loopback address");
  http_client_limits limits;
  limits.timeout = timeout;
  limits.body_limit = 1u << 20;  // a JWKS is a few KiB
  http_client_response answer;
  for (int attempt = 0; attempt < 2; ++attempt) {  // one retry for a transient transport failure
    answer = http_exchange(*where, http_client_request{}, limits);
    if (answer.error.empty()) break;
  }
  if (!answer.error.empty()) throw std::runtime_error("SUPABASE_JWKS_URL: " + answer.error);
  if (answer.status != 200)
    throw std::runtime_error("SUPABASE_JWKS_URL: HTTP " + std::to_string(answer.status));
  return std::move(answer.body);
}

}  // namespace vyx::runtime::api
