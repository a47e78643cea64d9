// Test keys and tokens: an EC P-256 and an RSA 2048 key pair made with
// OpenSSL, their JWKS, and Supabase-like access tokens signed with libjwt
// (HS256 with a secret, ES256/RS256 with the private keys).
#pragma once

#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace vyx::test {

inline std::string base64url(const std::string& bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(alphabet[(buffer >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(alphabet[(buffer << (6 - bits)) & 63]);
  return out;
}

struct key_pair {
  std::string kid, alg, private_pem, jwk;
};

class test_keys {
 public:
  static key_pair make(const std::string& alg, const std::string& kid) {
    EVP_PKEY* key = alg == "ES256" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")
                                   : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048});
    if (!key) throw std::runtime_error("keygen");
    key_pair pair{kid, alg, private_pem(key), {}};
    if (alg == "ES256") {
      unsigned char point[65];
      std::size_t length = 0;
      EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &length);
      if (length != 65) throw std::runtime_error("EC point");
      const std::string x(reinterpret_cast<char*>(point) + 1, 32),
          y(reinterpret_cast<char*>(point) + 33, 32);
      pair.jwk = R"({"kty":"EC","crv":"P-256","use":"sig","alg":"ES256","kid":")" + kid +
                 R"(","x":")" + base64url(x) + R"(","y":")" + base64url(y) + "\"}";
    } else {
      pair.jwk = R"({"kty":"RSA","use":"sig","alg":"RS256","kid":")" + kid + R"(","n":")" +
                 base64url(bn_param(key, OSSL_PKEY_PARAM_RSA_N)) + R"(","e":")" +
                 base64url(bn_param(key, OSSL_PKEY_PARAM_RSA_E)) + "\"}";
    }
    EVP_PKEY_free(key);
    return pair;
  }

  static std::string jwks(const std::vector<key_pair>& keys) {
    std::string out = R"({"keys":[)";
    for (std::size_t i = 0; i < keys.size(); ++i) out += (i ? "," : "") + keys[i].jwk;
    return out + "]}";
  }

 private:
  static std::string private_pem(EVP_PKEY* key) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<std::size_t>(length));
    BIO_free(bio);
    return pem;
  }
  static std::string bn_param(EVP_PKEY* key, const char* name) {
    BIGNUM* bn = nullptr;
    EVP_PKEY_get_bn_param(key, name, &bn);
    std::string bytes(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
    BN_free(bn);
    return bytes;
  }
};

struct claims {
  std::string sub;
  std::string aud = "authenticated";
  std::string role = "authenticated";
  long exp_in = 3600;  // seconds from now
  long nbf_in = 0;     // 0 = no nbf
};

// alg "HS256" signs with `key` as the secret; "ES256"/"RS256" with `key` as a private PEM.
inline std::string sign_token(const std::string& alg, const std::string& key,
                              const std::string& kid, const claims& c) {
  jwt_t* jwt = nullptr;
  jwt_new(&jwt);
  const jwt_alg_t a = alg == "HS256"   ? JWT_ALG_HS256
                      : alg == "ES256" ? JWT_ALG_ES256
                                       : JWT_ALG_RS256;
  jwt_set_alg(jwt, a, reinterpret_cast<const unsigned char*>(key.data()),
              static_cast<int>(key.size()));
  if (!kid.empty()) jwt_add_header(jwt, "kid", kid.c_str());
  const long now = static_cast<long>(std::time(nullptr));
  if (!c.sub.empty()) jwt_add_grant(jwt, "sub", c.sub.c_str());
  if (!c.aud.empty()) jwt_add_grant(jwt, "aud", c.aud.c_str());
  if (!c.role.empty()) jwt_add_grant(jwt, "role", c.role.c_str());
  jwt_add_grant_int(jwt, "exp", now + c.exp_in);
  jwt_add_grant_int(jwt, "iat", now);
  if (c.nbf_in) jwt_add_grant_int(jwt, "nbf", now + c.nbf_in);
  char* text = jwt_encode_str(jwt);
  jwt_free(jwt);
  if (!text) throw std::runtime_error("jwt_encode_str " + alg);
  std::string token(text);
  std::free(text);
  return token;
}

}  // namespace vyx::test
