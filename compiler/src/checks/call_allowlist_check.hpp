// dialect-call-allowlist: everything user code references comes from the SDK (namespace vyx) or
// from the user's own code.
#pragma once

#include "checks/check.hpp"
#include "checks/dialect_options.hpp"

namespace vyx::compiler::checks {

class call_allowlist_check : public check {
 public:
  call_allowlist_check(std::string_view id, check_context& context, const dialect_options& options)
      : check(id, context), go_translation_(options.go_translation) {}
  void register_matchers(clang::ast_matchers::MatchFinder& finder) override;
  void run(const clang::ast_matchers::MatchFinder::MatchResult& result) override;

 private:
  bool go_translation_;
};

}  // namespace vyx::compiler::checks
