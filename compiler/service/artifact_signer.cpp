// Artifact signatures of the compile service (see artifact_signer.hpp).
#include "artifact_signer.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>

namespace vyx::compiler::service {

namespace fs = std::filesystem;

artifact_signer::artifact_signer(std::shared_ptr<const signing_key> key) : key_(std::move(key)) {
  if (!key_) return;
  std::string error;
  auto verifier = verify_key::parse(key_->public_key_base64(), error);
  if (!verifier) throw std::runtime_error("signing key: " + error);
  key_id_ = verifier->key_id();
  verifier_ = std::make_shared<const verify_key>(std::move(*verifier));
}

fs::path artifact_signer::signature_path(const fs::path& so) {
  fs::path sig = so;
  sig.replace_extension(".sig");
  return sig;
}

stored_signature artifact_signer::read(const fs::path& so) {
  std::ifstream in(signature_path(so));
  stored_signature stored;
  if (!(in >> stored.key_id >> stored.signature)) return {};
  return stored;
}

bool artifact_signer::ensure_signed(const std::string& hash, const fs::path& so,
                                    std::string& error) {
  if (!key_) return true;
  std::lock_guard lock(mutex_);
  const std::string digest = common::file_sha256_hex(so);
  if (digest.empty()) {
    error = "cannot read " + so.string();
    return false;
  }
  const std::string message = common::artifact_signing_message(hash, digest);
  const stored_signature existing = read(so);
  if (existing.key_id == key_id_) {
    if (verifier_->verify(message, existing.signature)) return true;
    error = "artifact " + hash + " changed after it was signed; not signing it again";
    return false;
  }
  // Unsigned, or signed by a previous key (rotation): sign now. Written to a
  // temporary file and renamed, so a reader never sees half a signature.
  const fs::path target = signature_path(so);
  const fs::path temporary = target.string() + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << key_id_ << ' ' << key_->sign(message) << '\n';
    if (!out.flush()) {
      error = "cannot write " + temporary.string();
      return false;
    }
  }
  std::error_code ec;
  fs::rename(temporary, target, ec);
  if (ec) {
    error = "cannot write " + target.string() + ": " + ec.message();
    return false;
  }
  return true;
}

}  // namespace vyx::compiler::service
