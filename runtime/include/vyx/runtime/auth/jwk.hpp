// JSON Web Keys to PEM public keys: libjwt 1.10 verifies ES256/RS256 with a
// PEM key and knows no JWKS, so each key of the set is converted with
// OpenSSL 3 (EVP_PKEY_fromdata) once, when the set is loaded.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vyx::runtime::auth {

struct public_key {
  std::string kid;
  std::string alg;  // "ES256" or "RS256" (from the JWK's alg, or its kty)
  std::string pem;  // SubjectPublicKeyInfo PEM
};

// Every key of a JWKS document {"keys":[...]}. Throws std::runtime_error
// naming the key and what is wrong with it; keys for other uses ("use":
// "enc") and other types are skipped.
std::vector<public_key> parse_jwks(std::string_view jwks_json);

// base64url (no padding) to bytes; false on a character outside the alphabet.
bool base64url_decode(std::string_view in, std::string& out);

}  // namespace vyx::runtime::auth
