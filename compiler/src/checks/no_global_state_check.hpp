// dialect-no-global-state: variables with static storage must be constexpr (or const with a
// constant initialiser).
#pragma once

#include "checks/check.hpp"

namespace vyx::compiler::checks {

class no_global_state_check : public check {
 public:
  using check::check;
  void register_matchers(clang::ast_matchers::MatchFinder& finder) override;
  void run(const clang::ast_matchers::MatchFinder::MatchResult& result) override;
};

}  // namespace vyx::compiler::checks
