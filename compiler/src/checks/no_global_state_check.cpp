// Namespace-scope, static-member and static-local variables persist across
// calls and symbols: a trader must be a pure function of the market. Constants
// are fine when they need no code to initialise (no init functions in the .so).
#include "checks/no_global_state_check.hpp"

namespace vyx::compiler::checks {
using namespace clang::ast_matchers;

void no_global_state_check::register_matchers(MatchFinder& finder) {
  finder.addMatcher(
      varDecl(hasGlobalStorage(), unless(hasThreadStorageDuration()), unless(isImplicit()))
          .bind("var"),
      this);
}

void no_global_state_check::run(const MatchFinder::MatchResult& result) {
  const auto* v = result.Nodes.getNodeAs<clang::VarDecl>("var");
  if (v == nullptr || v->isConstexpr()) return;
  if (v->getType().isConstQualified() && v->hasConstantInitialization() &&
      !v->needsDestruction(*result.Context))
    return;
  if (v->hasExternalStorage()) return;  // dialect-no-extern reports those
  const std::string what = v->isStaticLocal() ? "static local variable '" : "global variable '";
  diag(v->getLocation(),
       what + v->getNameAsString() +
           "' is mutable state that outlives the call; make it a local variable, or constexpr "
           "if it is a constant");
}

}  // namespace vyx::compiler::checks
