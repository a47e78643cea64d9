// dialect-no-reinterpret: no cast that reinterprets memory or drops const.
#pragma once

#include "checks/check.hpp"

namespace vyx::compiler::checks {

class no_reinterpret_check : public check {
 public:
  using check::check;
  void register_matchers(clang::ast_matchers::MatchFinder& finder) override;
  void run(const clang::ast_matchers::MatchFinder::MatchResult& result) override;
};

}  // namespace vyx::compiler::checks
