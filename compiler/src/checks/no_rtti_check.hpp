// dialect-no-rtti: no typeid or dynamic_cast (plugins are built without RTTI).
#pragma once

#include "checks/check.hpp"

namespace vyx::compiler::checks {

class no_rtti_check : public check {
 public:
  using check::check;
  void register_matchers(clang::ast_matchers::MatchFinder& finder) override;
  void run(const clang::ast_matchers::MatchFinder::MatchResult& result) override;
  std::vector<std::pair<unsigned, std::string>> owned_clang_diagnostics() const override;
};

}  // namespace vyx::compiler::checks
