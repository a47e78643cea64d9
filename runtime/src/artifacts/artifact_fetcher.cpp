// Fetching, caching and verifying signed artifacts (see artifact_fetcher.hpp).
#include "vyx/runtime/artifacts/artifact_fetcher.hpp"

#include <simdjson.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "vyx/common/artifact_signature.hpp"
#include "vyx/common/elf_audit.hpp"

namespace vyx::runtime {

namespace fs = std::filesystem;

namespace {

bool well_formed_hash(const std::string& hash) {
  if (hash.size() != 64) return false;
  for (const char c : hash)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

fs::path default_cache_dir() {
  if (auto dir = environment("VYX_ARTIFACT_CACHE"); !dir.empty()) return dir;
  if (auto xdg = environment("XDG_CACHE_HOME"); !xdg.empty())
    return fs::path(xdg) / "vyx" / "artifacts";
  if (auto home = environment("HOME"); !home.empty())
    return fs::path(home) / ".cache" / "vyx" / "artifacts";
  return fs::temp_directory_path() / "vyx-artifacts";
}

// "<key id> <base64 signature>", as the compile service stores it.
bool read_signature(const fs::path& file, std::string& key_id, std::string& signature) {
  std::ifstream in(file);
  return static_cast<bool>(in >> key_id >> signature);
}

// What the service said when it refused a request, for the error message.
std::string service_error(const http_client_response& response) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string_view message;
  if (!parser.parse(response.body).get(root) && !root["error"]["message"].get(message))
    return std::string(message);
  return "HTTP " + std::to_string(response.status);
}

}  // namespace

std::optional<artifact_source_config> artifact_source_config::from_environment() {
  artifact_source_config config;
  config.compiler_url = environment("VYX_COMPILER_URL");
  if (config.compiler_url.empty()) return std::nullopt;
  config.token = environment("VYX_COMPILER_TOKEN");
  config.public_key = environment("VYX_ARTIFACT_PUBLIC_KEY");
  config.cache_dir = default_cache_dir();
  return config;
}

std::string check_artifact(const fs::path& so, const std::string& hash,
                           const std::string& signature_base64, const std::string& signer_key_id,
                           const common::verify_key& key) {
  if (signature_base64.empty())
    return "unsigned artifact: the compile service sent no signature (is its signing key set?)";
  const std::string digest = common::file_sha256_hex(so);
  if (digest.empty()) return "cannot read " + so.string();
  if (!key.verify(common::artifact_signing_message(hash, digest), signature_base64)) {
    if (!signer_key_id.empty() && signer_key_id != key.key_id())
      return "signed by key " + signer_key_id + ", but this machine trusts key " + key.key_id() +
             " (VYX_ARTIFACT_PUBLIC_KEY)";
    return "bad signature: these bytes under hash " + hash.substr(0, 12) +
           "... are not what the compile service signed (altered or mislabelled artifact)";
  }
  const auto problems = common::audit_plugin(so);
  if (!problems.empty()) {
    std::string reason = "ELF audit failed:";
    for (const auto& problem : problems) reason += " " + problem + ";";
    reason.pop_back();
    return reason;
  }
  return {};
}

artifact_fetcher::artifact_fetcher(artifact_source_config config) : config_(std::move(config)) {
  std::string error;
  auto url = parse_http_url(config_.compiler_url, error);
  if (!url) throw std::runtime_error("VYX_COMPILER_URL: " + error);
  url_ = *url;
  if (config_.public_key.empty())
    throw std::runtime_error(
        "VYX_COMPILER_URL is set but VYX_ARTIFACT_PUBLIC_KEY is not: without the compile "
        "service's public key no artifact can be verified, so none would load");
  auto key = common::verify_key::parse(config_.public_key, error);
  if (!key) throw std::runtime_error("VYX_ARTIFACT_PUBLIC_KEY: " + error);
  key_ = std::make_unique<common::verify_key>(std::move(*key));
  std::error_code ec;
  fs::create_directories(config_.cache_dir, ec);
  if (!fs::is_directory(config_.cache_dir))
    throw std::runtime_error("artifact cache " + config_.cache_dir.string() +
                             " cannot be created: " + ec.message());
  spdlog::info("artifacts from {}://{}:{}{} (key {}), cached in {}", url_.tls ? "https" : "http",
               url_.host, url_.port, url_.path, key_->key_id(), config_.cache_dir.string());
}

artifact_fetcher::~artifact_fetcher() = default;

std::optional<fs::path> artifact_fetcher::verified_cached(const std::string& hash,
                                                          std::string& error) {
  const fs::path so = config_.cache_dir / (hash + ".so");
  const fs::path sig = config_.cache_dir / (hash + ".sig");
  std::error_code ec;
  if (!fs::exists(so, ec)) return std::nullopt;
  std::string key_id, signature;
  read_signature(sig, key_id, signature);
  error = check_artifact(so, hash, signature, key_id, *key_);
  if (error.empty()) return so;
  // A cached copy that no longer verifies is dropped and fetched again.
  spdlog::warn("cached artifact {} refused ({}); fetching it again", hash, error);
  fs::remove(so, ec);
  fs::remove(sig, ec);
  return std::nullopt;
}

std::optional<fs::path> artifact_fetcher::fetch(const std::string& hash, std::string& error) {
  if (!well_formed_hash(hash)) {
    error = "'" + hash + "' is not an artifact hash (64 lowercase hex digits)";
    return std::nullopt;
  }
  if (auto cached = verified_cached(hash, error)) return cached;

  http_client_request request;
  request.target = "/v1/artifacts/" + hash;
  request.bearer_token = config_.token;
  const auto response = http_exchange(url_, request, config_.limits);
  if (!response.error.empty()) {
    error = "compile service unreachable: " + response.error;
    return std::nullopt;
  }
  if (response.status == 401) {
    error = "the compile service refused VYX_COMPILER_TOKEN";
    return std::nullopt;
  }
  if (response.status == 404) {
    error = "the compile service has no artifact " + hash;
    return std::nullopt;
  }
  if (response.status != 200) {
    error = "fetching artifact " + hash + ": " + service_error(response);
    return std::nullopt;
  }
  if (const auto etag = response.header("etag"); !etag.empty() && etag != "\"" + hash + "\"") {
    error = "artifact refused: asked for " + hash + ", the service answered for " + etag;
    return std::nullopt;
  }

  // Written under a temporary name and checked there: the cache only ever
  // holds artifacts that passed.
  const fs::path so = config_.cache_dir / (hash + ".so");
  const fs::path temporary = config_.cache_dir / ("." + hash + ".tmp" + std::to_string(::getpid()));
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(response.body.data(), static_cast<std::streamsize>(response.body.size()));
    if (!out.flush()) {
      error = "cannot write " + temporary.string();
      return std::nullopt;
    }
  }
  const std::string signature = response.header("x-vyx-signature");
  const std::string key_id = response.header("x-vyx-signature-key");
  std::error_code ec;
  if (auto reason = check_artifact(temporary, hash, signature, key_id, *key_); !reason.empty()) {
    fs::remove(temporary, ec);
    error = "artifact " + hash.substr(0, 12) + "... refused: " + reason;
    return std::nullopt;
  }
  {
    std::ofstream out(config_.cache_dir / (hash + ".sig"), std::ios::trunc);
    out << (key_id.empty() ? key_->key_id() : key_id) << ' ' << signature << '\n';
  }
  fs::rename(temporary, so, ec);
  if (ec) {
    fs::remove(temporary, ec);
    error = "cannot store artifact in " + config_.cache_dir.string();
    return std::nullopt;
  }
  spdlog::info("artifact {} fetched and verified ({} bytes)", hash, response.body.size());
  return so;
}

}  // namespace vyx::runtime
