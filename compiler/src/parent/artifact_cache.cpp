// The artifact store on the file system.
#include "parent/artifact_cache.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "protocol/outcome_codec.hpp"

namespace vyx::compiler {
namespace fs = std::filesystem;

artifact_cache::artifact_cache(fs::path dir) : dir_(std::move(dir)) {
  fs::create_directories(dir_ / "tmp");
}

bool artifact_cache::valid_hash(const std::string& hash) {
  if (hash.size() != 64) return false;
  for (char c : hash)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

fs::path artifact_cache::make_scratch() const {
  std::string pattern = (dir_ / "tmp" / "build-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return {};
  return pattern;
}

std::optional<frontend_outcome> artifact_cache::lookup(const std::string& hash) const {
  if (!valid_hash(hash)) return std::nullopt;
  std::error_code ec;
  if (!fs::is_regular_file(so_path(hash), ec)) return std::nullopt;
  std::ifstream in(dir_ / (hash + ".meta"), std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return decode_outcome(s.str());
}

bool artifact_cache::store(const std::string& hash, const fs::path& so,
                           const frontend_outcome& outcome) const {
  // The .so first, then the metadata: lookup() needs both, so a reader never
  // sees metadata without its artifact.
  const std::string unique =
      "." + std::to_string(getpid()) + "." + std::to_string(reinterpret_cast<std::uintptr_t>(&so));
  std::error_code ec;
  const fs::path so_tmp = dir_ / "tmp" / (hash + unique + ".so");
  fs::copy_file(so, so_tmp, fs::copy_options::overwrite_existing, ec);
  if (ec) return false;
  fs::permissions(so_tmp, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read,
                  ec);
  fs::rename(so_tmp, so_path(hash), ec);
  if (ec) return false;
  const fs::path meta_tmp = dir_ / "tmp" / (hash + unique + ".meta");
  {
    std::ofstream out(meta_tmp, std::ios::binary);
    out << encode_outcome(outcome);
    if (!out) return false;
  }
  fs::rename(meta_tmp, dir_ / (hash + ".meta"), ec);
  return !ec;
}

}  // namespace vyx::compiler
