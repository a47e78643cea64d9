// OpenRouter over the runtime's one HTTP client (net/http_client): this file
// only shapes the request and reads the Retry-After hint; the transport
// (TLS, deadline, size limit, cancellation) is http_exchange's.
#include "vyx/runtime/analysis/provider_client.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "vyx/runtime/screening/trader_signal.hpp"

namespace vyx::runtime {

namespace {

// The seconds form of Retry-After; an HTTP date (rare for APIs) counts as no hint.
std::chrono::seconds parse_retry_after(const std::string& value) {
  if (value.empty()) return std::chrono::seconds(0);
  char* end = nullptr;
  const unsigned long seconds = std::strtoul(value.c_str(), &end, 10);
  if (!end || *end != '\0' || !std::isdigit(static_cast<unsigned char>(value.front())))
    return std::chrono::seconds(0);
  return std::chrono::seconds(std::min(seconds, 3600ul));
}

}  // namespace

provider_client::provider_client(provider_options options) : options_(std::move(options)) {
  std::string error;
  auto where = parse_http_url(options_.url, error);
  if (!where) throw std::invalid_argument("OPENROUTER_API_URL is not an http(s) URL: " + error);
  if (!where->tls && !is_loopback_host(where->host))
    throw std::invalid_argument("OPENROUTER_API_URL: plain http is allowed only to a loopback address");
  url_ = std::move(*where);
  if (url_.tls && !options_.ca_file.empty() && !std::ifstream(options_.ca_file))
    throw std::invalid_argument("OPENROUTER_API_URL: cannot read the CA file " + options_.ca_file);
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
  http_client_request request;
  request.method = "POST";
  request.target = "/chat/completions";
  request.body = body;
  request.content_type = "application/json";
  request.bearer_token = options_.api_key;
  http_client_limits limits;
  limits.timeout = options_.timeout;
  limits.body_limit = body_limit;
  limits.ca_file = options_.ca_file;
  limits.cancellation = &cancellation_;
  auto response = http_exchange(url_, request, limits);
  provider_reply reply;
  if (!response.error.empty()) {
    reply.error = std::move(response.error);
    reply.timed_out = response.timed_out;
    return reply;
  }
  reply.status = response.status;
  reply.retry_after = parse_retry_after(response.header("retry-after"));
  reply.body = std::move(response.body);
  return reply;
}

void provider_client::cancel_all() { cancellation_.cancel(); }

}  // namespace vyx::runtime
