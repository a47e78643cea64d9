// Ed25519 through OpenSSL's EVP interface (one-shot DigestSign/DigestVerify:
// Ed25519 hashes the message itself, so no digest is named).
#include "vyx/common/artifact_signature.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace vyx::common {

namespace {

// SHA-256 through OpenSSL's EVP interface, as lower-case hex.
class sha256 {
 public:
  sha256() : context_(EVP_MD_CTX_new()) {
    if (!context_ || EVP_DigestInit_ex(context_, EVP_sha256(), nullptr) != 1)
      throw std::runtime_error("sha256: OpenSSL initialisation failed");
  }
  ~sha256() { EVP_MD_CTX_free(context_); }
  sha256(const sha256&) = delete;
  sha256& operator=(const sha256&) = delete;
  void update(std::string_view bytes) { EVP_DigestUpdate(context_, bytes.data(), bytes.size()); }
  std::string hex_digest() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(context_, digest, &length);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
      out += hex[digest[i] >> 4];
      out += hex[digest[i] & 0xf];
    }
    return out;
  }

 private:
  EVP_MD_CTX* context_;
};

std::string sha256_hex(std::string_view bytes) {
  sha256 digest;
  digest.update(bytes);
  return digest.hex_digest();
}

EVP_PKEY* as_key(void* key) {
  return static_cast<EVP_PKEY*>(key);
}

std::string base64_encode(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

// Strict: only the standard alphabet, padding at the end, whole 4-character groups.
std::optional<std::vector<unsigned char>> base64_decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '+' || c == '/';
    if (!plain && !(c == '=' && i + 2 >= text.size())) return std::nullopt;
  }
  std::vector<unsigned char> out(text.size() / 4 * 3);
  const int written =
      EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                      static_cast<int>(text.size()));
  if (written < 0) return std::nullopt;
  std::size_t size = static_cast<std::size_t>(written);
  // EVP_DecodeBlock counts padding as zero bytes.
  if (text.back() == '=') --size;
  if (text.size() >= 2 && text[text.size() - 2] == '=') --size;
  out.resize(size);
  return out;
}

std::string trimmed(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const auto end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

std::vector<unsigned char> raw_public_key(EVP_PKEY* key) {
  std::size_t size = 0;
  EVP_PKEY_get_raw_public_key(key, nullptr, &size);
  std::vector<unsigned char> raw(size);
  if (EVP_PKEY_get_raw_public_key(key, raw.data(), &size) != 1)
    throw std::runtime_error("cannot read the Ed25519 public key");
  raw.resize(size);
  return raw;
}

}  // namespace

std::string artifact_signing_message(std::string_view hash, std::string_view bytes_sha256_hex) {
  std::string message = "vyx-artifact-v1\n";
  message.append(hash);
  message.push_back('\n');
  message.append(bytes_sha256_hex);
  message.push_back('\n');
  return message;
}

std::string file_sha256_hex(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return {};
  sha256 digest;
  char chunk[64 * 1024];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0)
    digest.update(std::string_view(chunk, static_cast<std::size_t>(in.gcount())));
  if (in.bad()) return {};
  return digest.hex_digest();
}

// ---- signing_key ----

signing_key signing_key::generate() {
  EVP_PKEY* key = nullptr;
  EVP_PKEY_CTX* context = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
  const bool ok =
      context && EVP_PKEY_keygen_init(context) == 1 && EVP_PKEY_keygen(context, &key) == 1;
  EVP_PKEY_CTX_free(context);
  if (!ok) throw std::runtime_error("cannot generate an Ed25519 key");
  return signing_key(key);
}

signing_key signing_key::from_pem(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(bio);
  if (!key) throw std::runtime_error("the signing key is not a PEM private key");
  if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(key);
    throw std::runtime_error("the signing key is not an Ed25519 key");
  }
  return signing_key(key);
}

signing_key signing_key::from_pem_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the signing key file " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  try {
    return from_pem(text.str());
  } catch (const std::exception& e) {
    throw std::runtime_error(file.string() + ": " + e.what());
  }
}

signing_key::signing_key(signing_key&& other) noexcept : key_(other.key_) {
  other.key_ = nullptr;
}
signing_key& signing_key::operator=(signing_key&& other) noexcept {
  std::swap(key_, other.key_);
  return *this;
}
signing_key::~signing_key() {
  EVP_PKEY_free(as_key(key_));
}

std::string signing_key::sign(std::string_view message) const {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  unsigned char signature[64];
  std::size_t size = sizeof signature;
  const bool ok =
      context && EVP_DigestSignInit(context, nullptr, nullptr, nullptr, as_key(key_)) == 1 &&
      EVP_DigestSign(context, signature, &size,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(context);
  if (!ok) throw std::runtime_error("Ed25519 signing failed");
  return base64_encode(signature, size);
}

std::string signing_key::public_key_base64() const {
  const auto raw = raw_public_key(as_key(key_));
  return base64_encode(raw.data(), raw.size());
}

std::string signing_key::private_pem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  std::string pem;
  if (bio &&
      PEM_write_bio_PrivateKey(bio, as_key(key_), nullptr, nullptr, 0, nullptr, nullptr) == 1) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    pem.assign(data, static_cast<std::size_t>(size));
  }
  BIO_free(bio);
  if (pem.empty()) throw std::runtime_error("cannot write the private key as PEM");
  return pem;
}

// ---- verify_key ----

std::optional<verify_key> verify_key::parse(std::string_view text, std::string& error) {
  const std::string value = trimmed(text);
  EVP_PKEY* key = nullptr;
  if (value.starts_with("-----BEGIN")) {
    BIO* bio = BIO_new_mem_buf(value.data(), static_cast<int>(value.size()));
    key = bio ? PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr) : nullptr;
    BIO_free(bio);
    if (key && EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
      EVP_PKEY_free(key);
      error = "the artifact public key is not an Ed25519 key";
      return std::nullopt;
    }
  } else {
    const auto raw = base64_decode(value);
    if (!raw || raw->size() != 32) {
      error = "the artifact public key is neither 32 bytes of base64 nor a PEM public key";
      return std::nullopt;
    }
    key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw->data(), raw->size());
  }
  if (!key) {
    error = "the artifact public key cannot be read";
    return std::nullopt;
  }
  const auto raw = raw_public_key(key);
  const std::string id =
      sha256_hex(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()))
          .substr(0, 16);
  return verify_key(key, id);
}

verify_key::verify_key(verify_key&& other) noexcept
    : key_(other.key_), key_id_(std::move(other.key_id_)) {
  other.key_ = nullptr;
}
verify_key& verify_key::operator=(verify_key&& other) noexcept {
  std::swap(key_, other.key_);
  std::swap(key_id_, other.key_id_);
  return *this;
}
verify_key::~verify_key() {
  EVP_PKEY_free(as_key(key_));
}

bool verify_key::verify(std::string_view message, std::string_view signature_base64) const {
  const auto signature = base64_decode(trimmed(signature_base64));
  if (!signature || signature->size() != 64) return false;
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  const bool ok =
      context && EVP_DigestVerifyInit(context, nullptr, nullptr, nullptr, as_key(key_)) == 1 &&
      EVP_DigestVerify(context, signature->data(), signature->size(),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(context);
  return ok;
}

}  // namespace vyx::common
