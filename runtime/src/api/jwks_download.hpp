// SUPABASE_JWKS_URL: the project's JWKS document fetched once at start-up
// (HTTPS verified against the system CAs, or plain HTTP on loopback for
// tests), with the runtime's HTTP client. Fetched again when a token
// names an unknown kid (token_verifier's jwks_refetch, at most once a minute).
#pragma once

#include <chrono>
#include <string>

namespace vyx::runtime::api {

// The document's text; throws std::runtime_error saying what failed (no URL text in it
// beyond scheme, host and path; a URL carries no secret, but the answer may be big).
std::string download_jwks(const std::string& url,
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace vyx::runtime::api
