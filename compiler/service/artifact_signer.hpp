// Signs artifacts as the compile service answers a successful compile, and
// reads the stored signature when an artifact is fetched (<hash>.sig beside
// <hash>.so in the cache: "<key id> <base64 signature>").
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "vyx/common/artifact_signature.hpp"

namespace vyx::compiler::service {

using common::signing_key;  // the Ed25519 keys of vyx/common/artifact_signature.hpp
using common::verify_key;

struct stored_signature {
  std::string key_id;
  std::string signature;  // base64; empty when the artifact is unsigned
};

class artifact_signer {
 public:
  // Without a key the service serves artifacts unsigned (machines refuse them).
  explicit artifact_signer(std::shared_ptr<const signing_key> key);

  bool enabled() const { return key_ != nullptr; }
  const std::string& key_id() const { return key_id_; }

  // Signs <so> under `hash` unless a signature by this key exists. A signature
  // by this key that no longer matches the bytes means the cache was altered
  // after signing: it is left as is (so machines refuse the artifact) and
  // reported, never re-signed. Returns false on that or an I/O failure.
  bool ensure_signed(const std::string& hash, const std::filesystem::path& so, std::string& error);

  static stored_signature read(const std::filesystem::path& so);
  static std::filesystem::path signature_path(const std::filesystem::path& so);

 private:
  std::shared_ptr<const signing_key> key_;
  std::shared_ptr<const verify_key> verifier_;
  std::string key_id_;
  std::mutex mutex_;  // one writer of a .sig at a time
};

}  // namespace vyx::compiler::service
