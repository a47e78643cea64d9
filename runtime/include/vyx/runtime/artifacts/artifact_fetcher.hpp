// Plugins from the compile service, for machines without a compiler: fetched
// by hash, kept in a disk cache, and handed out only when the compile
// service's Ed25519 signature verifies for that hash and those bytes and the
// ELF audit passes again, on every load (a cached copy is checked as well).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "vyx/runtime/net/http_client.hpp"

namespace vyx::common {
class verify_key;
}

namespace vyx::runtime {

struct artifact_source_config {
  std::string compiler_url;  // VYX_COMPILER_URL
  std::string token;         // VYX_COMPILER_TOKEN (never logged)
  std::string public_key;    // VYX_ARTIFACT_PUBLIC_KEY: raw Ed25519 key, base64 (or PEM)
  std::filesystem::path
      cache_dir;  // VYX_ARTIFACT_CACHE, else $XDG_CACHE_HOME|~/.cache/vyx/artifacts
  http_client_limits limits;

  // nullopt when VYX_COMPILER_URL is unset (no remote artifacts).
  static std::optional<artifact_source_config> from_environment();
};

// Why an artifact was refused; empty when it may be loaded. Pure: the bytes
// at `so`, the hash it is meant to be, the signature that came with it.
std::string check_artifact(const std::filesystem::path& so, const std::string& hash,
                           const std::string& signature_base64, const std::string& signer_key_id,
                           const common::verify_key& key);

class artifact_fetcher {
 public:
  // Throws std::runtime_error naming the bad setting (a missing or malformed
  // public key, a bad URL, an unusable cache folder).
  explicit artifact_fetcher(artifact_source_config config);
  ~artifact_fetcher();
  artifact_fetcher(const artifact_fetcher&) = delete;
  artifact_fetcher& operator=(const artifact_fetcher&) = delete;

  // The verified local copy of artifact `hash`, or nullopt with `error` saying why.
  std::optional<std::filesystem::path> fetch(const std::string& hash, std::string& error);

  // Where and how to reach the compile service (compile_service_client posts compiles there).
  const http_url& service_url() const { return url_; }
  const artifact_source_config& config() const { return config_; }
  const std::filesystem::path& cache_dir() const { return config_.cache_dir; }

 private:
  std::optional<std::filesystem::path> verified_cached(const std::string& hash, std::string& error);

  artifact_source_config config_;
  http_url url_;
  std::unique_ptr<common::verify_key> key_;
};

}  // namespace vyx::runtime
