// dialect-call-allowlist: everything user code references comes from the SDK (namespace vyx) or
// from the user's own code.
#pragma once

#include "checks/check.hpp"

namespace vyx::compiler::checks {

class call_allowlist_check : public check {
 public:
  using check::check;
  void register_matchers(clang::ast_matchers::MatchFinder& finder) override;
  void run(const clang::ast_matchers::MatchFinder::MatchResult& result) override;
};

}  // namespace vyx::compiler::checks
