// Token verification with libjwt. The key is chosen from the token's header
// *before* libjwt sees it, by the algorithm we accept for that key: a token
// claiming HS256 is never checked against a public key's PEM text (the
// classic algorithm-confusion forgery), and "none" is never accepted.
#include "vyx/runtime/auth/token_verifier.hpp"

#include <jwt.h>
#include <openssl/crypto.h>
#include <simdjson.h>

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "vyx/runtime/auth/jwk.hpp"

namespace vyx::runtime::auth {
namespace {

constexpr std::size_t max_token_size = 16 * 1024;

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;  // lengths are not secret
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

verification refuse(std::string reason) {
  return {verdict::unauthorized, std::move(reason), {}};
}

struct jwt_handle {
  jwt_t* jwt = nullptr;
  ~jwt_handle() { jwt_free(jwt); }
};

struct token_header {
  std::string alg, kid;
};

bool parse_header(std::string_view encoded, token_header& header) {
  std::string json;
  if (!base64url_decode(encoded, json)) return false;
  simdjson::dom::parser parser;
  simdjson::padded_string text(json);
  simdjson::dom::object object;
  if (parser.parse(text).get(object) != simdjson::SUCCESS) return false;
  std::string_view value;
  if (object["alg"].get(value) != simdjson::SUCCESS) return false;
  header.alg = value;
  if (object["kid"].get(value) == simdjson::SUCCESS) header.kid = value;
  return true;
}

// aud is a string or an array of strings.
bool has_audience(jwt_t* jwt, const std::string& audience) {
  if (const char* aud = jwt_get_grant(jwt, "aud")) return constant_time_equal(aud, audience);
  char* json = jwt_get_grants_json(jwt, "aud");
  if (!json) return false;
  std::string text(json);
  std::free(json);
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  simdjson::dom::array array;
  if (parser.parse(padded).get(array) != simdjson::SUCCESS) return false;
  for (simdjson::dom::element e : array) {
    std::string_view value;
    if (e.get(value) == simdjson::SUCCESS && constant_time_equal(value, audience)) return true;
  }
  return false;
}

// A numeric claim; false when absent or not a number.
bool numeric_claim(jwt_t* jwt, const char* name, long& value) {
  errno = 0;
  value = jwt_get_grant_int(jwt, name);
  return errno == 0;
}

}  // namespace

struct token_verifier::impl {
  verifier_config config;
  mutable std::shared_mutex keys_mutex;  // keys are replaced by a refetch
  std::vector<public_key> keys;
  std::mutex refetch_mutex;  // one fetch at a time; the others wait for its keys
  std::optional<std::chrono::steady_clock::time_point> last_refetch;
  std::size_t refetches = 0;

  // The PEM of the key for `header`, empty when the set has none.
  std::string pem_for(const token_header& header) const {
    std::shared_lock lock(keys_mutex);
    const public_key* found = key_for(header);
    return found ? found->pem : std::string();
  }

  // A kid we do not know: the set may have been rotated. The key's PEM when
  // a fetch (ours, or one that finished while we waited for it) brought it.
  std::string refetch_for(const token_header& header) {
    if (!config.jwks_refetch || header.kid.empty()) return {};
    std::lock_guard fetching(refetch_mutex);
    if (auto pem = pem_for(header); !pem.empty()) return pem;
    const auto now = std::chrono::steady_clock::now();
    if (last_refetch && now - *last_refetch < config.jwks_refetch_interval) return {};
    last_refetch = now;
    ++refetches;
    try {
      auto fresh = parse_jwks(config.jwks_refetch());
      std::unique_lock lock(keys_mutex);
      keys = std::move(fresh);
    } catch (const std::exception&) {
      return {};  // the old set stays; a later unknown kid tries again after the interval
    }
    return pem_for(header);
  }

  const public_key* key_for(const token_header& header) const {
    const public_key* only = nullptr;
    std::size_t of_alg = 0;
    for (const auto& key : keys) {
      if (key.alg != header.alg) continue;
      if (!header.kid.empty() && key.kid == header.kid) return &key;
      ++of_alg;
      only = &key;
    }
    // No kid in the token: a set with one key of that algorithm is unambiguous.
    return header.kid.empty() && of_alg == 1 ? only : nullptr;
  }
};

token_verifier::token_verifier(verifier_config config) : impl_(std::make_unique<impl>()) {
  impl_->config = std::move(config);
  if (!impl_->config.jwks_json.empty()) impl_->keys = parse_jwks(impl_->config.jwks_json);
}

token_verifier::~token_verifier() = default;

bool token_verifier::can_verify_users() const {
  std::shared_lock lock(impl_->keys_mutex);
  return !impl_->config.hs256_secret.empty() || !impl_->keys.empty() ||
         static_cast<bool>(impl_->config.jwks_refetch);
}

std::size_t token_verifier::jwks_key_count() const {
  std::shared_lock lock(impl_->keys_mutex);
  return impl_->keys.size();
}

std::size_t token_verifier::jwks_refetches() const {
  std::lock_guard lock(impl_->refetch_mutex);
  return impl_->refetches;
}

verification token_verifier::verify_header(std::string_view authorization) const {
  while (!authorization.empty() && authorization.front() == ' ') authorization.remove_prefix(1);
  if (authorization.empty()) return refuse("missing bearer token");
  constexpr std::string_view scheme = "bearer ";
  if (authorization.size() <= scheme.size()) return refuse("malformed authorization header");
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != scheme[i])
      return refuse("authorization is not a bearer token");
  std::string_view token = authorization.substr(scheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return verify(token);
}

verification token_verifier::verify(std::string_view token) const {
  const auto& config = impl_->config;
  if (token.empty()) return refuse("missing bearer token");
  if (token.size() > max_token_size) return refuse("token too long");
  if (!config.service_role_key.empty() && constant_time_equal(token, config.service_role_key))
    return {verdict::service_role, {}, "service_role"};
  const auto first = token.find('.');
  const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    return refuse("malformed token");
  token_header header;
  if (!parse_header(token.substr(0, first), header)) return refuse("malformed token header");

  std::string key;
  jwt_alg_t expected;
  if (header.alg == "HS256") {
    if (config.hs256_secret.empty()) return refuse("HS256 tokens are not accepted (no JWT secret)");
    key = config.hs256_secret;
    expected = JWT_ALG_HS256;
  } else if (header.alg == "ES256" || header.alg == "RS256") {
    key = impl_->pem_for(header);
    if (key.empty()) key = impl_->refetch_for(header);
    if (key.empty()) return refuse("no JWKS key for this token's kid and algorithm");
    expected = header.alg == "ES256" ? JWT_ALG_ES256 : JWT_ALG_RS256;
  } else {
    return refuse("unsupported token algorithm");
  }

  const std::string text(token);
  jwt_handle decoded;
  if (jwt_decode(&decoded.jwt, text.c_str(), reinterpret_cast<const unsigned char*>(key.data()),
                 static_cast<int>(key.size())) != 0 ||
      !decoded.jwt)
    return refuse("bad token signature");
  if (jwt_get_alg(decoded.jwt) != expected) return refuse("token algorithm mismatch");

  const long now = static_cast<long>(std::time(nullptr));
  const long leeway = static_cast<long>(config.leeway.count());
  long exp = 0, nbf = 0;
  if (!numeric_claim(decoded.jwt, "exp", exp)) return refuse("token has no exp");
  if (now > exp + leeway) return refuse("token expired");
  if (numeric_claim(decoded.jwt, "nbf", nbf) && now + leeway < nbf)
    return refuse("token not valid yet");

  const char* role = jwt_get_grant(decoded.jwt, "role");
  if (role && constant_time_equal(role, "service_role"))
    return {verdict::service_role, {}, "service_role"};
  if (!has_audience(decoded.jwt, config.audience)) return refuse("wrong token audience");
  const char* sub = jwt_get_grant(decoded.jwt, "sub");
  if (!sub || !*sub) return refuse("token has no sub");
  if (config.owner.empty() || !constant_time_equal(sub, config.owner))
    return {verdict::forbidden, "not the machine's owner", sub};
  return {verdict::owner, {}, sub};
}

verifier_config verifier_config_from_environment() {
  auto env = [](const char* name) {
    const char* value = std::getenv(name);
    return std::string(value ? value : "");
  };
  verifier_config config;
  config.hs256_secret = env("SUPABASE_JWT_SECRET");
  config.owner = env("USER_ID");
  config.service_role_key = env("SUPABASE_SERVICE_KEY");
  if (auto audience = env("SUPABASE_JWT_AUDIENCE"); !audience.empty()) config.audience = audience;
  if (auto leeway = env("VYX_JWT_LEEWAY_SECONDS"); !leeway.empty()) {
    char* end = nullptr;
    const long seconds = std::strtol(leeway.c_str(), &end, 10);
    if (*end != '\0' || seconds < 0 || seconds > 600)
      throw std::runtime_error("VYX_JWT_LEEWAY_SECONDS: a whole number of seconds, 0 to 600");
    config.leeway = std::chrono::seconds(seconds);
  }
  if (auto file = env("SUPABASE_JWKS_FILE"); !file.empty()) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("SUPABASE_JWKS_FILE: cannot read " + file);
    std::ostringstream text;
    text << in.rdbuf();
    config.jwks_json = text.str();
  }
  return config;
}

bool same_tier(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

}  // namespace vyx::runtime::auth
