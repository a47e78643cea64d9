// The service's endpoints: which path is which, the method each accepts, and
// whether it needs the bearer token.
#pragma once

#include <ostream>  // boost/core/detail/string_view.hpp (1.81) needs it first
#include <boost/beast/http/verb.hpp>
#include <string>
#include <string_view>

namespace vyx::compiler::service {

enum class endpoint { compile, artifact, health, metrics, unknown };

struct route {
  endpoint which = endpoint::unknown;
  std::string_view label = "unknown";  // the "endpoint" label in /metrics
  boost::beast::http::verb method = boost::beast::http::verb::unknown;
  bool needs_token = true;
  std::string argument;  // the artifact hash, for endpoint::artifact
};

route match_route(std::string_view target);

// True for a method the route accepts (HEAD wherever GET is accepted).
bool method_allowed(const route& r, boost::beast::http::verb method);

// Artifact hashes are lowercase hex; the compiler names artifacts with 64 of them (SHA-256).
bool is_well_formed_hash(std::string_view hash);

// A compile body's Content-Type: application/json or application/<x>+json,
// any parameters (charset) allowed; no header at all is taken as JSON.
bool json_media_type(std::string_view content_type);

}  // namespace vyx::compiler::service
