// thread_local needs TLS, which plugins may not have (the ELF audit refuses it too).
#include "checks/no_thread_local_check.hpp"

namespace vyx::compiler::checks {
using namespace clang::ast_matchers;

void no_thread_local_check::register_matchers(MatchFinder& finder) {
  finder.addMatcher(varDecl(hasThreadStorageDuration()).bind("var"), this);
}

void no_thread_local_check::run(const MatchFinder::MatchResult& result) {
  if (const auto* v = result.Nodes.getNodeAs<clang::VarDecl>("var"))
    diag(v->getLocation(), "thread_local variable '" + v->getNameAsString() +
                               "' is not allowed; use a local variable");
}

}  // namespace vyx::compiler::checks
