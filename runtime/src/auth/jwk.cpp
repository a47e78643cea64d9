// JWKS parsing and JWK -> PEM conversion with OpenSSL 3's EVP_PKEY_fromdata.
#include "vyx/runtime/auth/jwk.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <simdjson.h>

#include <memory>
#include <stdexcept>

namespace vyx::runtime::auth {
namespace {

template <typename T, void (*Free)(T*)>
struct deleter {
  void operator()(T* p) const { Free(p); }
};
using param_builder = std::unique_ptr<OSSL_PARAM_BLD, deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using params = std::unique_ptr<OSSL_PARAM, deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using key_context = std::unique_ptr<EVP_PKEY_CTX, deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using pkey = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY, EVP_PKEY_free>>;
using bignum = std::unique_ptr<BIGNUM, deleter<BIGNUM, BN_free>>;
using bio = std::unique_ptr<BIO, deleter<BIO, BIO_free_all>>;

int base64url_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

[[noreturn]] void bad_key(const std::string& kid, const std::string& what) {
  throw std::runtime_error("JWKS key '" + kid + "': " + what);
}

std::string member(simdjson::dom::object key, const char* name) {
  std::string_view text;
  if (key[name].get(text) != simdjson::SUCCESS) return {};
  return std::string(text);
}

std::string decoded_member(simdjson::dom::object key, const char* name, const std::string& kid) {
  std::string bytes;
  if (!base64url_decode(member(key, name), bytes) || bytes.empty())
    bad_key(kid, std::string("missing or bad '") + name + "'");
  return bytes;
}

// The key made from `built` parameters, written as a PEM public key.
std::string pem_from_params(const char* type, OSSL_PARAM_BLD* builder, const std::string& kid) {
  params p(OSSL_PARAM_BLD_to_param(builder));
  key_context context(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!p || !context || EVP_PKEY_fromdata_init(context.get()) <= 0 ||
      EVP_PKEY_fromdata(context.get(), &raw, EVP_PKEY_PUBLIC_KEY, p.get()) <= 0)
    bad_key(kid, "not a valid public key");
  pkey key(raw);
  bio out(BIO_new(BIO_s_mem()));
  if (!out || PEM_write_bio_PUBKEY(out.get(), key.get()) != 1) bad_key(kid, "cannot write PEM");
  char* data = nullptr;
  const long length = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

std::string ec_pem(simdjson::dom::object key, const std::string& kid) {
  if (member(key, "crv") != "P-256") bad_key(kid, "only the P-256 curve (ES256) is supported");
  const std::string x = decoded_member(key, "x", kid), y = decoded_member(key, "y", kid);
  if (x.size() != 32 || y.size() != 32) bad_key(kid, "P-256 coordinates are 32 bytes");
  std::string point = "\x04" + x + y;  // uncompressed SEC1 point
  param_builder builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      !OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1",
                                       0) ||
      !OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                        point.size()))
    bad_key(kid, "out of memory");
  return pem_from_params("EC", builder.get(), kid);
}

std::string rsa_pem(simdjson::dom::object key, const std::string& kid) {
  const std::string n = decoded_member(key, "n", kid), e = decoded_member(key, "e", kid);
  if (n.size() < 256) bad_key(kid, "RSA keys shorter than 2048 bits are refused");
  auto to_bn = [](const std::string& bytes) {
    return bignum(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                            static_cast<int>(bytes.size()), nullptr));
  };
  bignum bn_n = to_bn(n), bn_e = to_bn(e);
  param_builder builder(OSSL_PARAM_BLD_new());
  if (!bn_n || !bn_e || !builder ||
      !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) ||
      !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()))
    bad_key(kid, "out of memory");
  return pem_from_params("RSA", builder.get(), kid);
}

}  // namespace

bool base64url_decode(std::string_view in, std::string& out) {
  out.clear();
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : in) {
    const int v = base64url_value(c);
    if (v < 0) return false;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return bits < 6;  // a lone trailing character is not base64url
}

std::vector<public_key> parse_jwks(std::string_view jwks_json) {
  simdjson::dom::parser parser;
  simdjson::padded_string text(jwks_json);
  simdjson::dom::element doc;
  simdjson::dom::array keys;
  if (parser.parse(text).get(doc) != simdjson::SUCCESS ||
      doc["keys"].get(keys) != simdjson::SUCCESS)
    throw std::runtime_error("JWKS: not a JSON object with a \"keys\" array");
  std::vector<public_key> result;
  for (simdjson::dom::element element : keys) {
    simdjson::dom::object key;
    if (element.get(key) != simdjson::SUCCESS)
      throw std::runtime_error("JWKS: a key is not an object");
    public_key out;
    out.kid = member(key, "kid");
    const std::string kty = member(key, "kty"), use = member(key, "use"), alg = member(key, "alg");
    if (!use.empty() && use != "sig") continue;
    if (kty == "EC") {
      if (!alg.empty() && alg != "ES256") continue;
      out.alg = "ES256";
      out.pem = ec_pem(key, out.kid);
    } else if (kty == "RSA") {
      if (!alg.empty() && alg != "RS256") continue;
      out.alg = "RS256";
      out.pem = rsa_pem(key, out.kid);
    } else {
      continue;  // "oct" and others: HS256 comes from the secret, never from a JWKS
    }
    result.push_back(std::move(out));
  }
  return result;
}

}  // namespace vyx::runtime::auth
