// dialect-no-goto: no goto, computed goto or label addresses.
#pragma once

#include "checks/check.hpp"

namespace vyx::compiler::checks {

class no_goto_check : public check {
 public:
  using check::check;
  void register_matchers(clang::ast_matchers::MatchFinder& finder) override;
  void run(const clang::ast_matchers::MatchFinder::MatchResult& result) override;
};

}  // namespace vyx::compiler::checks
