// Verifies the Supabase access tokens the platform's edge functions send as
// `Authorization: Bearer`: signature (HS256 with the project's JWT secret,
// ES256/RS256 with a JWKS key picked by `kid`), exp/nbf within a bounded
// clock skew, aud, and sub against the machine's owner. The platform's own
// calls carry the service role key, accepted as such.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace vyx::runtime::auth {

struct verifier_config {
  std::string hs256_secret;  // SUPABASE_JWT_SECRET; empty = HS256 tokens refused
  std::string jwks_json;     // the JWKS document's text; empty = ES256/RS256 refused
  std::string audience = "authenticated";
  std::string owner;                // USER_ID: a user token's sub must equal it
  std::string service_role_key;     // SUPABASE_SERVICE_KEY: the platform's own calls
  std::chrono::seconds leeway{60};  // clock skew allowed on exp and nbf
  // Fetches the JWKS document again (SUPABASE_JWKS_URL) when a token names a
  // kid the set does not have: key rotation without a restart. At most once
  // per `jwks_refetch_interval` (a stream of made-up kids cannot turn into a
  // stream of fetches); null = the keys are fixed. May throw.
  std::function<std::string()> jwks_refetch;
  std::chrono::seconds jwks_refetch_interval{60};
};

enum class verdict {
  owner,         // a valid token of the machine's owner
  service_role,  // the platform itself (service role key or a service_role token)
  unauthorized,  // missing, malformed, badly signed, expired, wrong audience: 401
  forbidden,     // valid, but another user's: 403
};

struct verification {
  verdict result = verdict::unauthorized;
  // Why it was refused, for the log and the answer: never quotes the token.
  std::string reason;
  std::string subject;  // the token's sub, when it was verified
};

class token_verifier {
 public:
  // Throws std::runtime_error when the JWKS is not usable (bad JSON, a key
  // that is not a P-256 EC or RSA public key).
  explicit token_verifier(verifier_config config);
  ~token_verifier();
  token_verifier(const token_verifier&) = delete;
  token_verifier& operator=(const token_verifier&) = delete;

  // `authorization` is the header's value ("Bearer <token>"), empty if absent.
  verification verify_header(std::string_view authorization) const;
  verification verify(std::string_view token) const;
  // Whether any way of verifying a user token is configured.
  bool can_verify_users() const;
  std::size_t jwks_key_count() const;
  std::size_t jwks_refetches() const;  // attempts made, successful or not

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// The configuration from the environment: SUPABASE_JWT_SECRET,
// SUPABASE_JWKS_FILE (a JWKS document), SUPABASE_JWT_AUDIENCE, USER_ID,
// SUPABASE_SERVICE_KEY, VYX_JWT_LEEWAY_SECONDS. Throws std::runtime_error
// on an unreadable JWKS file or a bad number.
verifier_config verifier_config_from_environment();

// Case-insensitive comparison of subscription tiers ("Elite" == "elite").
bool same_tier(std::string_view a, std::string_view b);

}  // namespace vyx::runtime::auth
