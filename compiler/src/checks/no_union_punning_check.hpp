// dialect-no-union-punning: no unions (reading another member than the one written reinterprets
// memory).
#pragma once

#include "checks/check.hpp"

namespace vyx::compiler::checks {

class no_union_punning_check : public check {
 public:
  using check::check;
  void register_matchers(clang::ast_matchers::MatchFinder& finder) override;
  void run(const clang::ast_matchers::MatchFinder::MatchResult& result) override;
};

}  // namespace vyx::compiler::checks
