// Ed25519 signatures that bind an artifact's name (its content hash) to its
// bytes: the compile service signs, the machines verify before loading.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace vyx::common {

// What is signed: a domain tag, the artifact hash (the name a machine asks
// for) and the SHA-256 of the .so bytes. Serving artifact B under the name of
// A, or changing one byte, breaks the signature.
std::string artifact_signing_message(std::string_view hash, std::string_view bytes_sha256_hex);

// SHA-256 of a file's bytes as lower-case hex; empty if it cannot be read.
std::string file_sha256_hex(const std::filesystem::path& file);

class signing_key {
 public:
  // A fresh Ed25519 key.
  static signing_key generate();
  // A PKCS#8 PEM private key ("openssl genpkey -algorithm ed25519"); throws
  // std::runtime_error with a message that never contains key material.
  static signing_key from_pem(std::string_view pem);
  static signing_key from_pem_file(const std::filesystem::path& file);

  signing_key(signing_key&&) noexcept;
  signing_key& operator=(signing_key&&) noexcept;
  ~signing_key();

  // The 64-byte signature, base64.
  std::string sign(std::string_view message) const;
  // The raw 32-byte public key, base64: the value machines get as VYX_ARTIFACT_PUBLIC_KEY.
  std::string public_key_base64() const;
  // The private key as PKCS#8 PEM (for `vyxc keygen`).
  std::string private_pem() const;

 private:
  explicit signing_key(void* key) : key_(key) {}
  void* key_;  // EVP_PKEY*
};

class verify_key {
 public:
  // The raw public key as base64 (44 characters), or a PEM "PUBLIC KEY";
  // nullopt (with `error` set) otherwise.
  static std::optional<verify_key> parse(std::string_view text, std::string& error);

  verify_key(verify_key&&) noexcept;
  verify_key& operator=(verify_key&&) noexcept;
  ~verify_key();

  // False for a malformed (not base64, wrong length) or non-matching signature.
  bool verify(std::string_view message, std::string_view signature_base64) const;
  // A short fingerprint for messages: the first 16 hex digits of SHA-256(raw key).
  const std::string& key_id() const { return key_id_; }

 private:
  verify_key(void* key, std::string key_id) : key_(key), key_id_(std::move(key_id)) {}
  void* key_;  // EVP_PKEY*
  std::string key_id_;
};

}  // namespace vyx::common
