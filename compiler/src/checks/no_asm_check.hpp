// dialect-no-asm: no inline assembly, file-scope asm or asm labels.
#pragma once

#include "checks/check.hpp"

namespace vyx::compiler::checks {

class no_asm_check : public check {
 public:
  using check::check;
  void register_matchers(clang::ast_matchers::MatchFinder& finder) override;
  void run(const clang::ast_matchers::MatchFinder::MatchResult& result) override;
  void on_translation_unit(clang::ASTContext& context) override;
};

}  // namespace vyx::compiler::checks
