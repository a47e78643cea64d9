// The content-addressed artifact store: <dir>/<hash>.so and <hash>.meta (the
// encoded outcome). Files appear atomically (write to a temporary, rename),
// so concurrent builders and readers never see half an artifact.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "child/clang_build.hpp"

namespace vyx::compiler {

class artifact_cache {
 public:
  explicit artifact_cache(std::filesystem::path dir);

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path so_path(const std::string& hash) const { return dir_ / (hash + ".so"); }
  // A fresh private directory under <dir>/tmp for one build.
  std::filesystem::path make_scratch() const;

  std::optional<frontend_outcome> lookup(const std::string& hash) const;
  bool store(const std::string& hash, const std::filesystem::path& so,
             const frontend_outcome& outcome) const;

  static bool valid_hash(const std::string& hash);

 private:
  std::filesystem::path dir_;
};

}  // namespace vyx::compiler
