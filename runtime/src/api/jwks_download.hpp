// SUPABASE_JWKS_URL: the project's JWKS document fetched once at start-up
// (HTTPS verified against the system CAs, or plain HTTP on loopback for
// tests), with the runtime's HTTP client. Keys rotated later need a
// restart (or SUPABASE_JWKS_FILE).
#pragma once

#include <chrono>
#include <string>

namespace vyx::runtime::api {

// The document's text; throws std::runtime_error saying what failed (no URL text in it
// beyond scheme, host and path; a URL carries no secret, but the answer may be big).
std::string download_jwks(const std::string& url,
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace vyx::runtime::api
